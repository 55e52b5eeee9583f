-- Roles per event: an account's role on one event. Only the account word
-- `admin` still means something by itself (every event); `organiser` and
-- `viewer` accounts see only the events they hold a role on.
CREATE TABLE event_roles (
    event_id     uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    organiser_id uuid NOT NULL REFERENCES organisers (id) ON DELETE CASCADE,
    role         text NOT NULL CHECK (role IN ('owner', 'organiser', 'viewer', 'checkin')),
    granted_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, organiser_id)
);
-- "Which events may this account see": the event list, every sign-in.
CREATE INDEX event_roles_by_organiser ON event_roles (organiser_id, event_id);

-- A global role becomes that role on every existing event.
INSERT INTO event_roles (event_id, organiser_id, role)
SELECT events.id, organisers.id, organisers.role
  FROM events CROSS JOIN organisers
 WHERE organisers.role IN ('organiser', 'viewer');

-- A token may be narrowed to one event, and to reading.
ALTER TABLE api_tokens
    ADD COLUMN event_id uuid REFERENCES events (id) ON DELETE CASCADE,
    ADD COLUMN read_only boolean NOT NULL DEFAULT false;
