DROP TRIGGER registrations_waiting_on_delete ON registrations;
DROP TRIGGER registrations_waiting_on_update ON registrations;
DROP TRIGGER registrations_waiting_on_insert ON registrations;
DROP FUNCTION registrations_count_waiting();
ALTER TABLE country_quotas DROP COLUMN waiting;
ALTER TABLE events DROP COLUMN waiting;
