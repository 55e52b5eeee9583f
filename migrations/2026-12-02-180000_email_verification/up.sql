-- Email-verified places. With `verification = 'email'`, every new
-- registration is emailed a link (its token stored hashed, like the private
-- token); following it sets `email_verified_at`. A registration that gets a
-- place (on arrival or by promotion) before its address is confirmed is
-- `unverified`: it holds the place until `verify_by`. The worker cancels
-- the holds that run out and gives their places to the waiting lists.
ALTER TABLE events
    ADD COLUMN verification       text NOT NULL DEFAULT 'none'
        CHECK (verification IN ('none', 'email')),
    ADD COLUMN verification_hours integer NOT NULL DEFAULT 24
        CHECK (verification_hours BETWEEN 1 AND 720);

ALTER TABLE registrations DROP CONSTRAINT registrations_status_check;
ALTER TABLE registrations
    ADD CONSTRAINT registrations_status_check
        CHECK (status IN ('unverified', 'confirmed', 'waitlisted', 'cancelled')),
    ADD COLUMN verify_by         timestamptz,
    ADD COLUMN verification_hash bytea CHECK (octet_length(verification_hash) = 32),
    ADD COLUMN email_verified_at timestamptz,
    ADD CONSTRAINT registrations_verify_by_check
        CHECK ((status = 'unverified') = (verify_by IS NOT NULL));

CREATE UNIQUE INDEX registrations_verification_key
    ON registrations (verification_hash) WHERE verification_hash IS NOT NULL;
-- The worker's look for holds that ran out.
CREATE INDEX registrations_verify_by_idx
    ON registrations (verify_by) WHERE status = 'unverified';
