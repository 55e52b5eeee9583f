-- The issue's reference: a 3-statement registration transaction on ONE hot
-- quota row (guarded counter UPDATE, the registration, its email), with the
-- same rendered email body as the full mirror. No event row, no sessions.
BEGIN;
UPDATE hot_quota SET taken = taken + 1 WHERE id = 1 AND taken < capacity;
INSERT INTO hot_registration (quota_id, email) VALUES (1, 'hot-' || :client_id || '-' || random() || '@bench.example.org');
INSERT INTO hot_outbox (registration_id, body_text, body_html) SELECT currval('hot_registration_id_seq'), t.body_text, t.body_html FROM bench_email_template t WHERE t.kind = 'confirmation';
END;
