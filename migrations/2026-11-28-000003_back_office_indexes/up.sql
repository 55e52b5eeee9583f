-- What the back office looks up often enough to want an index.

-- Every login attempt counts the recent failures of its account and of its
-- address (rate limiting), so those counts must not scan the audit log.
CREATE INDEX audit_log_login_failed_email_idx
    ON audit_log ((detail->>'email'), at) WHERE action = 'login.failed';
CREATE INDEX audit_log_login_failed_address_idx
    ON audit_log ((detail->>'address'), at) WHERE action = 'login.failed';

-- A registration's page lists its emails; resending looks up its last one.
CREATE INDEX email_outbox_registration_idx ON email_outbox (registration_id, created_at);
