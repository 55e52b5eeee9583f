-- A waiting delegate's place in a full country's list is a count of that
-- list (the private page, `rencontre check`): it reads only this small
-- index instead of every registration of the event.
CREATE INDEX registrations_waiting_country_idx
    ON registrations (event_id, country_code, queue_seq) WHERE status = 'waitlisted';
