-- The whole registration domain. Invariants of DESIGN.md live here as well as
-- in code: CHECK (taken <= capacity) is the second wall behind the guarded
-- UPDATEs of the registration use cases.

CREATE TABLE organisers (
    id            uuid PRIMARY KEY,
    email         text NOT NULL,
    name          text NOT NULL,
    password_hash text,
    role          text NOT NULL DEFAULT 'organiser'
                  CHECK (role IN ('admin', 'organiser', 'viewer')),
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX organisers_email_key ON organisers (lower(email));

CREATE TABLE api_tokens (
    id           uuid PRIMARY KEY,
    organiser_id uuid NOT NULL REFERENCES organisers (id) ON DELETE CASCADE,
    token_hash   bytea NOT NULL UNIQUE,
    label        text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz
);

CREATE TABLE events (
    id                       uuid PRIMARY KEY,
    slug                     text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$'),
    reference_prefix         text NOT NULL CHECK (reference_prefix ~ '^[A-Z]{2,5}$'),
    name                     text NOT NULL,
    names                    jsonb NOT NULL DEFAULT '{}',
    description              text NOT NULL DEFAULT '',
    descriptions             jsonb NOT NULL DEFAULT '{}',
    starts_on                date NOT NULL,
    ends_on                  date NOT NULL,
    timezone                 text NOT NULL,
    languages                text[] NOT NULL CHECK (cardinality(languages) >= 1),
    registration_opens_at    timestamptz NOT NULL,
    registration_closes_at   timestamptz NOT NULL,
    capacity                 integer CHECK (capacity >= 0),
    taken                    integer NOT NULL DEFAULT 0 CHECK (taken >= 0),
    default_country_capacity integer CHECK (default_country_capacity >= 0),
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    CHECK (ends_on >= starts_on),
    CHECK (registration_closes_at > registration_opens_at),
    CONSTRAINT events_taken_within_capacity CHECK (capacity IS NULL OR taken <= capacity)
);

-- One row per country that has an explicit quota or at least one
-- registration. `explicit` is false for rows created on first use from the
-- event's default_country_capacity, so a change of the default reaches them.
CREATE TABLE country_quotas (
    event_id     uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    country_code char(2) NOT NULL CHECK (country_code ~ '^[A-Z]{2}$'),
    capacity     integer CHECK (capacity >= 0),
    taken        integer NOT NULL DEFAULT 0 CHECK (taken >= 0),
    explicit     boolean NOT NULL DEFAULT true,
    PRIMARY KEY (event_id, country_code),
    CONSTRAINT country_quotas_taken_within_capacity CHECK (capacity IS NULL OR taken <= capacity)
);

CREATE TABLE sessions (
    id           uuid PRIMARY KEY,
    event_id     uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    code         text NOT NULL CHECK (code ~ '^[A-Z0-9_-]{1,16}$'),
    kind         text NOT NULL DEFAULT 'workshop' CHECK (kind IN ('plenary', 'workshop')),
    title        text NOT NULL,
    titles       jsonb NOT NULL DEFAULT '{}',
    description  text NOT NULL DEFAULT '',
    descriptions jsonb NOT NULL DEFAULT '{}',
    room         text NOT NULL DEFAULT '',
    starts_at    timestamptz NOT NULL,
    ends_at      timestamptz NOT NULL,
    capacity     integer CHECK (capacity >= 0),
    taken        integer NOT NULL DEFAULT 0 CHECK (taken >= 0),
    UNIQUE (event_id, code),
    CHECK (ends_at > starts_at),
    CONSTRAINT sessions_taken_within_capacity CHECK (capacity IS NULL OR taken <= capacity)
);

-- Orders every waiting list: a value drawn while the quota rows are locked,
-- so queue order is commit order.
CREATE SEQUENCE registration_queue_seq;

CREATE TABLE registrations (
    id              uuid PRIMARY KEY,
    event_id        uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    reference       text NOT NULL UNIQUE,
    token_hash      bytea NOT NULL UNIQUE CHECK (octet_length(token_hash) = 32),
    given_name      text NOT NULL,
    family_name     text NOT NULL DEFAULT '',
    email           text NOT NULL,
    country_code    char(2) NOT NULL,
    organisation    text NOT NULL DEFAULT '',
    language        text NOT NULL CHECK (language IN ('en', 'fr', 'es', 'pt')),
    status          text NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
    queue_seq       bigint NOT NULL UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    cancelled_at    timestamptz,
    FOREIGN KEY (event_id, country_code) REFERENCES country_quotas (event_id, country_code),
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
);
-- One live registration per person per event, emails compared case-insensitively.
CREATE UNIQUE INDEX registrations_live_email_key
    ON registrations (event_id, lower(email)) WHERE status <> 'cancelled';
CREATE INDEX registrations_waiting_idx
    ON registrations (event_id, queue_seq) WHERE status = 'waitlisted';
CREATE INDEX registrations_event_country_idx ON registrations (event_id, country_code, status);

CREATE TABLE registration_sessions (
    registration_id uuid NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    session_id      uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    status          text NOT NULL CHECK (status IN ('confirmed', 'waitlisted')),
    queue_seq       bigint NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (registration_id, session_id)
);
CREATE INDEX registration_sessions_waiting_idx
    ON registration_sessions (session_id, queue_seq) WHERE status = 'waitlisted';

CREATE TABLE email_outbox (
    id              uuid PRIMARY KEY,
    event_id        uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    registration_id uuid REFERENCES registrations (id) ON DELETE CASCADE,
    kind            text NOT NULL CHECK (kind IN ('confirmation', 'waitlisted', 'promoted',
                                                  'sessions_changed', 'cancelled', 'resend')),
    recipient       text NOT NULL,
    language        text NOT NULL CHECK (language IN ('en', 'fr', 'es', 'pt')),
    subject         text,
    body_text       text,
    body_html       text,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    sent_at         timestamptz,
    CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
CREATE INDEX email_outbox_due_idx ON email_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX email_outbox_event_idx ON email_outbox (event_id, created_at);

CREATE TABLE email_texts (
    event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    kind     text NOT NULL,
    language text NOT NULL CHECK (language IN ('en', 'fr', 'es', 'pt')),
    subject  text NOT NULL,
    body     text NOT NULL,
    PRIMARY KEY (event_id, kind, language)
);

-- A retried POST with the same key gets the first answer back.
CREATE TABLE idempotency_keys (
    event_id        uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    key             text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
    request_hash    bytea NOT NULL,
    response_status smallint NOT NULL,
    response_body   jsonb NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, key)
);

CREATE TABLE audit_log (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    organiser_id    uuid REFERENCES organisers (id) ON DELETE SET NULL,
    event_id        uuid REFERENCES events (id) ON DELETE CASCADE,
    registration_id uuid REFERENCES registrations (id) ON DELETE CASCADE,
    action          text NOT NULL,
    detail          jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_registration_idx ON audit_log (registration_id, at);

CREATE TABLE admin_sessions (
    id_hash      bytea PRIMARY KEY,
    organiser_id uuid NOT NULL REFERENCES organisers (id) ON DELETE CASCADE,
    csrf_token   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
