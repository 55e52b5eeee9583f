-- Approval. A registration in a category that needs approval is `pending`
-- until an organiser approves or rejects it. The event decides whether a
-- pending registration holds the places it was given on arrival
-- (`pending_holds_place`: approving is then a decision) or waits outside
-- every quota, holding nothing (approving then takes places, or puts it on
-- the waiting list when full). `approved_at` records the decision, so that
-- a registration approved while waiting or unverified is not asked again.
-- A rejection keeps its reason (a code of the event's list) and an
-- optional note to the delegate.
ALTER TABLE categories ADD COLUMN needs_approval boolean NOT NULL DEFAULT false;

ALTER TABLE events
    ADD COLUMN pending_holds_place boolean NOT NULL DEFAULT true,
    ADD COLUMN rejection_reasons jsonb NOT NULL DEFAULT '[]'
        CHECK (jsonb_typeof(rejection_reasons) = 'array');

ALTER TABLE registrations DROP CONSTRAINT registrations_status_check;
ALTER TABLE registrations
    ADD CONSTRAINT registrations_status_check
        CHECK (status IN ('unverified', 'pending', 'confirmed', 'waitlisted', 'rejected',
                          'cancelled')),
    ADD COLUMN approved_at      timestamptz,
    ADD COLUMN rejection_reason text,
    ADD COLUMN rejection_note   text,
    ADD CONSTRAINT registrations_rejection_check
        CHECK ((status = 'rejected') = (rejection_reason IS NOT NULL));

-- The organisers' queue of registrations to decide, oldest first.
CREATE INDEX registrations_pending_idx ON registrations (event_id, queue_seq)
    WHERE status = 'pending';

ALTER TABLE email_outbox DROP CONSTRAINT email_outbox_kind_check;
ALTER TABLE email_outbox ADD CONSTRAINT email_outbox_kind_check
    CHECK (kind IN ('confirmation', 'waitlisted', 'promoted', 'sessions_changed', 'cancelled',
                    'resend', 'verification', 'approved', 'rejected'));
