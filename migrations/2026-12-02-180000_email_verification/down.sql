DROP INDEX registrations_verify_by_idx;
DROP INDEX registrations_verification_key;
UPDATE registrations SET status = 'confirmed' WHERE status = 'unverified';
ALTER TABLE registrations
    DROP CONSTRAINT registrations_verify_by_check,
    DROP COLUMN email_verified_at,
    DROP COLUMN verification_hash,
    DROP COLUMN verify_by,
    DROP CONSTRAINT registrations_status_check;
ALTER TABLE registrations
    ADD CONSTRAINT registrations_status_check
        CHECK (status IN ('confirmed', 'waitlisted', 'cancelled'));
ALTER TABLE events DROP COLUMN verification_hours, DROP COLUMN verification;
