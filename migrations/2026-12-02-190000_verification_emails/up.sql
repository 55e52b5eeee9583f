-- A delegate of an event that verifies emails may ask for a new link: an
-- email of its own kind.
ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_kind_check;
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_kind_check
    CHECK (kind IN ('confirmation', 'waitlisted', 'promoted', 'sessions_changed', 'cancelled',
                    'resend', 'verification'));
