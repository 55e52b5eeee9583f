-- A worker claims rows by committing a lease before it sends them, and marks
-- each row sent as soon as its server accepts it. Other workers skip rows
-- whose lease runs; a crashed worker's rows come back when the lease ends,
-- so a crash resends only the exchanges that were in flight.

ALTER TABLE email_outbox ADD COLUMN claimed_until timestamptz;
