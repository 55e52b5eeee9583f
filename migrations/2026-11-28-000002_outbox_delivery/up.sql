-- What the mail worker needs: the calendar attachment stored with the rest
-- of the rendered message, and a wake-up call when rows arrive.

ALTER TABLE email_outbox ADD COLUMN attachment_ics text;

CREATE FUNCTION email_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('email_outbox', '');
    RETURN NULL;
END;
$$;

-- Once per statement: a transaction that queues several emails wakes the
-- workers once, and identical notifications are folded at commit anyway.
CREATE TRIGGER email_outbox_inserted
    AFTER INSERT ON email_outbox
    FOR EACH STATEMENT EXECUTE FUNCTION email_outbox_notify();
