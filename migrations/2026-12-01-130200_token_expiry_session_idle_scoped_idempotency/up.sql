-- API tokens may expire; back-office sessions end after a while unused.
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
ALTER TABLE admin_sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();

-- Idempotency records, scoped to the client that sent the key and kept a
-- day: the key itself is not stored (only a hash of it with the client's
-- address), nor the private token of the answer, which is sealed with a
-- key only the client's Idempotency-Key can derive. The old records held
-- private tokens in plain text: they go.
DROP TABLE idempotency_keys;
CREATE TABLE idempotency_keys (
    event_id        uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    key_hash        bytea NOT NULL,
    request_hash    bytea NOT NULL,
    registration_id uuid NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    sealed_token    bytea NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, key_hash)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
