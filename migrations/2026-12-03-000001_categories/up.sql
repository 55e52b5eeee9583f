-- Participant categories (delegate, observer, speaker, press, …). A
-- registration may belong to one of its event's categories. A category has
-- its own optional capacity, kept like every other counter (`taken`, moved
-- by guarded updates under the event lock; DESIGN.md's lock order puts it
-- between the event and the countries), and says whether its places count
-- against the event's capacity and the country quotas too. An event
-- without categories registers exactly as before (`category_id` NULL).
CREATE TABLE categories (
    id               uuid PRIMARY KEY,
    event_id         uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    code             text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{0,31}$'),
    names            jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(names) = 'object'),
    counts_in_quotas boolean NOT NULL DEFAULT true,
    capacity         integer CHECK (capacity >= 0),
    taken            integer NOT NULL DEFAULT 0 CHECK (taken >= 0),
    -- Registrations of the category on a waiting list, kept by the trigger
    -- below, as `events.waiting` is.
    waiting          integer NOT NULL DEFAULT 0 CHECK (waiting >= 0),
    -- Delegates may choose it on the public form; otherwise only organisers
    -- assign it (an invitation).
    public           boolean NOT NULL DEFAULT true,
    position         integer NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_id, code),
    CHECK (capacity IS NULL OR taken <= capacity)
);

ALTER TABLE registrations ADD COLUMN category_id uuid REFERENCES categories (id);
-- The waiting list of one category, in queue order (its promotions and
-- its delegates' places in it).
CREATE INDEX registrations_category_queue_idx
    ON registrations (category_id, queue_seq)
    WHERE status = 'waitlisted' AND category_id IS NOT NULL;

-- Once per statement, as `registrations_count_waiting` does for events and
-- countries: the rows of a category that joined or left a waiting list.
CREATE FUNCTION registrations_count_category_waiting() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE categories c SET waiting = c.waiting + m.n
          FROM (SELECT category_id, count(*)::integer AS n FROM new_rows
                 WHERE status = 'waitlisted' AND category_id IS NOT NULL
                 GROUP BY category_id) m
         WHERE c.id = m.category_id;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE categories c SET waiting = c.waiting - m.n
          FROM (SELECT category_id, count(*)::integer AS n FROM old_rows
                 WHERE status = 'waitlisted' AND category_id IS NOT NULL
                 GROUP BY category_id) m
         WHERE c.id = m.category_id;
    ELSE
        UPDATE categories c SET waiting = c.waiting + m.n
          FROM (SELECT category_id, sum(n)::integer AS n FROM (
                    SELECT category_id, 1 AS n FROM new_rows
                     WHERE status = 'waitlisted' AND category_id IS NOT NULL
                    UNION ALL
                    SELECT category_id, -1 FROM old_rows
                     WHERE status = 'waitlisted' AND category_id IS NOT NULL
                ) both_sides
                 GROUP BY category_id HAVING sum(n) <> 0) m
         WHERE c.id = m.category_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER registrations_category_waiting_on_insert AFTER INSERT ON registrations
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registrations_count_category_waiting();
CREATE TRIGGER registrations_category_waiting_on_update AFTER UPDATE ON registrations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registrations_count_category_waiting();
CREATE TRIGGER registrations_category_waiting_on_delete AFTER DELETE ON registrations
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registrations_count_category_waiting();
