DROP INDEX questions_purge_idx;
ALTER TABLE questions DROP COLUMN purge_after_days, DROP COLUMN answers_until;
