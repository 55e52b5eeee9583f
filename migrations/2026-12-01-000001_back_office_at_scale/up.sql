-- The back office at World Social Forum scale (150,000 registrations):
-- search served by an index, lists that cost the same on every page, and a
-- dashboard read from counters the database keeps.

-- Search: case- and accent-insensitive ("traore" finds Traoré, "joao"
-- João, "nguyen" Nguyễn), in every script. unaccent, pg_trgm and btree_gin
-- are contrib extensions shipped with PostgreSQL and trusted, so the
-- database's owner may create them.
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS btree_gin WITH SCHEMA public;

-- How the back office compares texts: without accents, and lower-cased by
-- ICU's rules for every script (the C collation of a cluster made with
-- --no-locale would only lower ASCII). Declared IMMUTABLE so that a stored
-- column and its index may use it; it names its dictionary and schema, so
-- it reads the same whatever the search_path (dumps and restores included).
CREATE FUNCTION rencontre_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN lower(public.unaccent('public.unaccent'::regdictionary, $1) COLLATE "und-x-icu");

ALTER TABLE registrations ADD COLUMN search_text text NOT NULL
    GENERATED ALWAYS AS (rencontre_fold(given_name || ' ' || family_name || ' ' || email || ' '
                                        || reference || ' ' || organisation)) STORED;
-- The name alone, folded, so that ranking "names that start with the
-- search" compares stored text instead of folding every candidate again.
ALTER TABLE registrations ADD COLUMN search_name text NOT NULL
    GENERATED ALWAYS AS (rencontre_fold(given_name || ' ' || family_name)) STORED;
-- The event first, so that a search on a platform's tenth meeting reads only
-- that meeting's entries.
CREATE INDEX registrations_search_idx
    ON registrations USING gin (event_id, search_text gin_trgm_ops);

-- One index per order of the list, each ending in queue_seq (the tie-breaker
-- of every order, and of the keyset cursors) and carrying what the filters
-- test, so that a deep page is found in the index alone before its rows are
-- read. The country order's index replaces the one on (event_id,
-- country_code, status).
CREATE INDEX registrations_list_seq_idx
    ON registrations (event_id, queue_seq) INCLUDE (id, status, country_code);
CREATE INDEX registrations_list_name_idx
    ON registrations (event_id, family_name, given_name, queue_seq) INCLUDE (id, status, country_code);
DROP INDEX registrations_event_country_idx;
CREATE INDEX registrations_list_country_idx
    ON registrations (event_id, country_code, queue_seq) INCLUDE (id, status);
CREATE INDEX registrations_list_status_idx
    ON registrations (event_id, status, queue_seq) INCLUDE (id, country_code);

-- How many choices wait for a seat in each session, kept like the waiting
-- lists of events and countries: by a statement trigger, whatever wrote.
ALTER TABLE sessions ADD COLUMN waiting integer NOT NULL DEFAULT 0 CHECK (waiting >= 0);
UPDATE sessions s SET waiting = w.count
  FROM (SELECT session_id, count(*) AS count FROM registration_sessions
         WHERE status = 'waitlisted' GROUP BY session_id) w
 WHERE s.id = w.session_id;

CREATE FUNCTION registration_sessions_count_waiting() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE sessions s SET waiting = s.waiting + m.n
          FROM (SELECT session_id, count(*)::integer AS n FROM new_rows
                 WHERE status = 'waitlisted' GROUP BY session_id) m
         WHERE s.id = m.session_id;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE sessions s SET waiting = s.waiting - m.n
          FROM (SELECT session_id, count(*)::integer AS n FROM old_rows
                 WHERE status = 'waitlisted' GROUP BY session_id) m
         WHERE s.id = m.session_id;
    ELSE
        UPDATE sessions s SET waiting = s.waiting + m.n
          FROM (SELECT session_id, sum(n)::integer AS n FROM (
                    SELECT session_id, 1 AS n FROM new_rows WHERE status = 'waitlisted'
                    UNION ALL
                    SELECT session_id, -1 FROM old_rows WHERE status = 'waitlisted'
                ) both_sides
                 GROUP BY session_id HAVING sum(n) <> 0) m
         WHERE s.id = m.session_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER registration_sessions_waiting_on_insert AFTER INSERT ON registration_sessions
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registration_sessions_count_waiting();
CREATE TRIGGER registration_sessions_waiting_on_update AFTER UPDATE ON registration_sessions
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registration_sessions_count_waiting();
CREATE TRIGGER registration_sessions_waiting_on_delete AFTER DELETE ON registration_sessions
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registration_sessions_count_waiting();

-- Registrations per quarter of an hour, for the dashboard's registrations
-- per day in the event's time zone (every zone's offset is a whole number
-- of quarter hours). A registration's created_at never changes, so inserts
-- and deletes are all that move these counts.
CREATE TABLE registration_quarters (
    event_id      uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    starts_at     timestamptz NOT NULL,
    registrations integer NOT NULL CHECK (registrations >= 0),
    PRIMARY KEY (event_id, starts_at)
);
INSERT INTO registration_quarters (event_id, starts_at, registrations)
SELECT event_id, date_bin('15 minutes', created_at, timestamptz '2000-01-01 00:00+00'), count(*)
  FROM registrations GROUP BY 1, 2;

CREATE FUNCTION registrations_count_quarters() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO registration_quarters AS q (event_id, starts_at, registrations)
        SELECT event_id, date_bin('15 minutes', created_at, timestamptz '2000-01-01 00:00+00'), count(*)
          FROM new_rows GROUP BY 1, 2
            ON CONFLICT (event_id, starts_at)
            DO UPDATE SET registrations = q.registrations + excluded.registrations;
    ELSE
        UPDATE registration_quarters q SET registrations = q.registrations - m.n
          FROM (SELECT event_id, date_bin('15 minutes', created_at, timestamptz '2000-01-01 00:00+00') AS starts_at,
                       count(*)::integer AS n
                  FROM old_rows GROUP BY 1, 2) m
         WHERE q.event_id = m.event_id AND q.starts_at = m.starts_at;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER registrations_quarters_on_insert AFTER INSERT ON registrations
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registrations_count_quarters();
CREATE TRIGGER registrations_quarters_on_delete AFTER DELETE ON registrations
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registrations_count_quarters();
