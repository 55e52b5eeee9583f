DROP TABLE idempotency_keys;
CREATE TABLE idempotency_keys (
    event_id        uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    key             text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
    request_hash    bytea NOT NULL,
    response_status smallint NOT NULL,
    response_body   jsonb NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, key)
);

ALTER TABLE admin_sessions DROP COLUMN last_seen_at;
ALTER TABLE api_tokens DROP COLUMN expires_at;
