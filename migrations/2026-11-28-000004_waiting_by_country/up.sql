-- The registrar counts each country's waiting list once per batch, and a
-- waiting delegate's place in a full country's list is a count too: both
-- read only this small index instead of every registration of the event.
CREATE INDEX registrations_waiting_country_idx
    ON registrations (event_id, country_code, queue_seq) WHERE status = 'waitlisted';
