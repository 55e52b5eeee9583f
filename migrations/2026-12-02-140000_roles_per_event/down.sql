ALTER TABLE api_tokens DROP COLUMN read_only, DROP COLUMN event_id;
DROP TABLE event_roles;
