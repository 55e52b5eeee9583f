DELETE FROM email_outbox WHERE kind = 'verification';
ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_kind_check;
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_kind_check
    CHECK (kind IN ('confirmation', 'waitlisted', 'promoted', 'sessions_changed', 'cancelled',
                    'resend'));
