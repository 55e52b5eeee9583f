DROP INDEX email_outbox_failed_idx;
DROP TRIGGER audit_log_event_changes ON audit_log;
DROP FUNCTION event_changes_notify();
