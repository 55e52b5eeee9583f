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
DECLARE
    event_ids uuid[];
    codes char(2)[];
    deltas integer[];
BEGIN
    -- The moves of this statement: +1 for a row that waits now, -1 for a
    -- row that waited before; only a transition table the operation has
    -- may be named.
    IF TG_OP = 'INSERT' THEN
        SELECT array_agg(event_id), array_agg(country_code), array_agg(n)
          INTO event_ids, codes, deltas
          FROM (SELECT event_id, country_code, count(*)::integer AS n FROM new_rows
                 WHERE status = 'waitlisted' GROUP BY event_id, country_code) moves;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT array_agg(event_id), array_agg(country_code), array_agg(n)
          INTO event_ids, codes, deltas
          FROM (SELECT event_id, country_code, -count(*)::integer AS n FROM old_rows
                 WHERE status = 'waitlisted' GROUP BY event_id, country_code) moves;
    ELSE
        SELECT array_agg(event_id), array_agg(country_code), array_agg(n)
          INTO event_ids, codes, deltas
          FROM (SELECT event_id, country_code, sum(n)::integer AS n FROM (
                    SELECT event_id, country_code, 1 AS n FROM new_rows WHERE status = 'waitlisted'
                    UNION ALL
                    SELECT event_id, country_code, -1 FROM old_rows WHERE status = 'waitlisted'
                ) both_sides
                 GROUP BY event_id, country_code HAVING sum(n) <> 0) moves;
    END IF;
    IF event_ids IS NULL THEN
        RETURN NULL;
    END IF;
    UPDATE country_quotas q SET waiting = q.waiting + m.n
      FROM unnest(event_ids, codes, deltas) AS m(event_id, country_code, n)
     WHERE q.event_id = m.event_id AND q.country_code = m.country_code;
    UPDATE events e SET waiting = e.waiting + m.n
      FROM (SELECT event_id, sum(n)::integer AS n
              FROM unnest(event_ids, deltas) AS u(event_id, n) GROUP BY event_id) m
     WHERE e.id = m.event_id;
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
