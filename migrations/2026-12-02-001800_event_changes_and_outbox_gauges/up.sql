-- Every organiser's change to an event writes its audit row in the change's
-- own transaction (registration::admin), so announcing the audit row
-- announces the change: PostgreSQL delivers the notification at that
-- transaction's commit, and never for one that rolls back. Each `serve`
-- process listens on `event_changes` and drops its copy of the event. The
-- registration path writes no audit row, so a delegate's registration
-- costs no notification.
CREATE FUNCTION event_changes_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('event_changes', NEW.event_id::text);
    RETURN NULL;
END;
$$;

CREATE TRIGGER audit_log_event_changes
    AFTER INSERT ON audit_log
    FOR EACH ROW
    WHEN (NEW.event_id IS NOT NULL)
    EXECUTE FUNCTION event_changes_notify();

-- The metrics count failed emails on every scrape; few rows ever enter
-- this index, and a sent row never does.
CREATE INDEX email_outbox_failed_idx ON email_outbox (created_at) WHERE status = 'failed';
