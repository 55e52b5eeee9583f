-- How many registrations wait, per event and per country, kept by the
-- database itself. A newcomer's place in a waiting list is then read from
-- the row its transaction has locked anyway, instead of counting the list
-- (which grows through the opening rush, so counting made it quadratic).
ALTER TABLE events ADD COLUMN waiting integer NOT NULL DEFAULT 0 CHECK (waiting >= 0);
ALTER TABLE country_quotas ADD COLUMN waiting integer NOT NULL DEFAULT 0 CHECK (waiting >= 0);

UPDATE events e SET waiting = w.count
  FROM (SELECT event_id, count(*) AS count FROM registrations
        WHERE status = 'waitlisted' GROUP BY event_id) w
 WHERE e.id = w.event_id;
UPDATE country_quotas q SET waiting = w.count
  FROM (SELECT event_id, country_code, count(*) AS count FROM registrations
        WHERE status = 'waitlisted' GROUP BY event_id, country_code) w
 WHERE q.event_id = w.event_id AND q.country_code = w.country_code;

-- Once per statement, whatever wrote it (a use case, an organiser's action,
-- a bulk load): the rows that joined or left a waiting list, summed per
-- country and per event. Every writer holds the event's row already, so
-- these updates wait for nobody.
CREATE FUNCTION registrations_count_waiting() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        WITH delta AS (
            SELECT event_id, country_code, count(*)::integer AS n FROM new_rows
             WHERE status = 'waitlisted' GROUP BY event_id, country_code
        ), countries AS (
            UPDATE country_quotas q SET waiting = q.waiting + delta.n FROM delta
             WHERE q.event_id = delta.event_id AND q.country_code = delta.country_code
        )
        UPDATE events e SET waiting = e.waiting + s.n
          FROM (SELECT event_id, sum(n)::integer AS n FROM delta GROUP BY event_id) s
         WHERE e.id = s.event_id;
    ELSIF TG_OP = 'DELETE' THEN
        WITH delta AS (
            SELECT event_id, country_code, -count(*)::integer AS n FROM old_rows
             WHERE status = 'waitlisted' GROUP BY event_id, country_code
        ), countries AS (
            UPDATE country_quotas q SET waiting = q.waiting + delta.n FROM delta
             WHERE q.event_id = delta.event_id AND q.country_code = delta.country_code
        )
        UPDATE events e SET waiting = e.waiting + s.n
          FROM (SELECT event_id, sum(n)::integer AS n FROM delta GROUP BY event_id) s
         WHERE e.id = s.event_id;
    ELSE
        WITH delta AS (
            SELECT event_id, country_code, sum(n)::integer AS n FROM (
                SELECT event_id, country_code, 1 AS n FROM new_rows WHERE status = 'waitlisted'
                UNION ALL
                SELECT event_id, country_code, -1 FROM old_rows WHERE status = 'waitlisted'
            ) moves
             GROUP BY event_id, country_code HAVING sum(n) <> 0
        ), countries AS (
            UPDATE country_quotas q SET waiting = q.waiting + delta.n FROM delta
             WHERE q.event_id = delta.event_id AND q.country_code = delta.country_code
        )
        UPDATE events e SET waiting = e.waiting + s.n
          FROM (SELECT event_id, sum(n)::integer AS n FROM delta GROUP BY event_id) s
         WHERE e.id = s.event_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER registrations_waiting_on_insert AFTER INSERT ON registrations
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registrations_count_waiting();
CREATE TRIGGER registrations_waiting_on_update AFTER UPDATE ON registrations
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registrations_count_waiting();
CREATE TRIGGER registrations_waiting_on_delete AFTER DELETE ON registrations
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registrations_count_waiting();
