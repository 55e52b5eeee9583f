DROP TRIGGER registrations_quarters_on_delete ON registrations;
DROP TRIGGER registrations_quarters_on_insert ON registrations;
DROP FUNCTION registrations_count_quarters();
DROP TABLE registration_quarters;

DROP TRIGGER registration_sessions_waiting_on_delete ON registration_sessions;
DROP TRIGGER registration_sessions_waiting_on_update ON registration_sessions;
DROP TRIGGER registration_sessions_waiting_on_insert ON registration_sessions;
DROP FUNCTION registration_sessions_count_waiting();
ALTER TABLE sessions DROP COLUMN waiting;

DROP INDEX registrations_list_status_idx;
DROP INDEX registrations_list_country_idx;
CREATE INDEX registrations_event_country_idx ON registrations (event_id, country_code, status);
DROP INDEX registrations_list_name_idx;
DROP INDEX registrations_list_seq_idx;

DROP INDEX registrations_search_idx;
ALTER TABLE registrations DROP COLUMN search_name;
ALTER TABLE registrations DROP COLUMN search_text;
DROP FUNCTION rencontre_fold(text);
-- The extensions stay: other objects of the database may use them, and
-- creating them again is harmless.
