DROP TRIGGER email_outbox_inserted ON email_outbox;
DROP FUNCTION email_outbox_notify();
ALTER TABLE email_outbox DROP COLUMN attachment_ics;
