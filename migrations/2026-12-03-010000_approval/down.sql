DELETE FROM email_outbox WHERE kind IN ('approved', 'rejected');
ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_kind_check;
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_kind_check
    CHECK (kind IN ('confirmation', 'waitlisted', 'promoted', 'sessions_changed', 'cancelled',
                    'resend', 'verification'));
DROP INDEX registrations_pending_idx;
UPDATE registrations SET status = 'cancelled', cancelled_at = coalesce(cancelled_at, now())
 WHERE status = 'rejected';
UPDATE registrations SET status = 'confirmed' WHERE status = 'pending';
ALTER TABLE registrations
    DROP CONSTRAINT registrations_rejection_check,
    DROP COLUMN rejection_note,
    DROP COLUMN rejection_reason,
    DROP COLUMN approved_at,
    DROP CONSTRAINT registrations_status_check;
ALTER TABLE registrations
    ADD CONSTRAINT registrations_status_check
        CHECK (status IN ('unverified', 'confirmed', 'waitlisted', 'cancelled'));
ALTER TABLE events DROP COLUMN rejection_reasons, DROP COLUMN pending_holds_place;
ALTER TABLE categories DROP COLUMN needs_approval;
