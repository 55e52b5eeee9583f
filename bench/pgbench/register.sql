-- One registration attempt as Rencontre issues it, statement for statement
-- (src/web/api/registrations.rs, src/registration/register.rs,
-- src/db/registrations.rs, src/registration/promote.rs::notify), against the
-- same schema, indexes, triggers and quota layout, with the same random
-- choices as bench/load.rs: a hot country with probability hotpermille/1000,
-- 2-3 sessions in consecutive time slots from a random first slot.
--
-- bench/run.sh fills in @EVENT@ (the event id), @SLUG@, @COUNTRIES@ (text[]
-- of codes, hot ones first), @SESSIONS@ and @CODES@ (uuid[] and text[] of
-- the sessions in slot order, `rooms` per slot). Run with -M prepared: the
-- :variables are then bind parameters, as Diesel sends them.
--
-- Differences from Rencontre, all small: the email body is copied from a
-- real rendered email already in the database (bench_email_template) rather
-- than sent over the wire; ids are v4 UUIDs made by the server; and a seat
-- UPDATE is issued for every choice of a confirmed registration, even into
-- a full room (Rencontre checks the locked row first and skips it).
\set r random(1, 1000)
\if :r <= :hotpermille
\set ci random(1, :hot)
\else
\set ci random(:hot + 1, :ncountries)
\endif
\set k random(:minsessions, :maxsessions)
\set first random(0, :nslots - 1)
\set s1 1 + ((:first + 0) % :nslots) * :rooms + random(0, :rooms - 1)
\set s2 1 + ((:first + 1) % :nslots) * :rooms + random(0, :rooms - 1)
\set s3 1 + ((:first + 2) % :nslots) * :rooms + random(0, :rooms - 1)
\set lang random(1, 4)
-- Outside the transaction: the handler finds the event by slug, the use
-- case resolves the chosen session codes.
SELECT id, slug, reference_prefix, name, names, description, descriptions, starts_on, ends_on, timezone, languages, registration_opens_at, registration_closes_at, capacity, taken, default_country_capacity, created_at, updated_at FROM events WHERE slug = '@SLUG@' LIMIT 1;
SELECT id, event_id, code, kind, title, titles, description, descriptions, room, starts_at, ends_at, capacity, taken FROM sessions WHERE event_id = '@EVENT@' AND code = ANY(ARRAY[(@CODES@)[:s1], (@CODES@)[:s2], CASE WHEN :k = 3 THEN (@CODES@)[:s3] END]);
BEGIN;
SELECT coalesce(capacity, 2147483647) AS ev_cap, taken AS ev_taken FROM events WHERE id = '@EVENT@' FOR NO KEY UPDATE \gset
INSERT INTO country_quotas (event_id, country_code, capacity, explicit) VALUES ('@EVENT@', (@COUNTRIES@)[:ci], NULL, false) ON CONFLICT DO NOTHING;
SELECT coalesce(capacity, 2147483647) AS cq_cap, taken AS cq_taken FROM country_quotas WHERE event_id = '@EVENT@' AND country_code = (@COUNTRIES@)[:ci] FOR NO KEY UPDATE \gset
\set confirmed CASE WHEN :ev_taken < :ev_cap AND :cq_taken < :cq_cap THEN 1 ELSE 0 END
\if :confirmed
UPDATE events SET taken = taken + 1 WHERE id = '@EVENT@' AND (capacity IS NULL OR taken < capacity);
UPDATE country_quotas SET taken = taken + 1 WHERE event_id = '@EVENT@' AND country_code = (@COUNTRIES@)[:ci] AND (capacity IS NULL OR taken < capacity);
\endif
SELECT nextval('registration_queue_seq') AS seq \gset
INSERT INTO registrations (id, event_id, reference, token_hash, given_name, family_name, email, country_code, organisation, language, status, queue_seq) VALUES (gen_random_uuid(), '@EVENT@', 'PGB-' || :seq, sha256(convert_to('pgbench-' || :seq, 'UTF8')), 'Aminata', 'Traoré', 'pgbench-' || :seq || '@bench.example.org', (@COUNTRIES@)[:ci], 'Via Campesina', (ARRAY['fr', 'en', 'es', 'pt'])[:lang], CASE WHEN :confirmed = 1 THEN 'confirmed' ELSE 'waitlisted' END, :seq) RETURNING id AS reg_id \gset
SELECT id, capacity, taken FROM sessions WHERE id = ANY(ARRAY[(@SESSIONS@)[:s1], (@SESSIONS@)[:s2], CASE WHEN :k = 3 THEN (@SESSIONS@)[:s3] END]) ORDER BY id FOR NO KEY UPDATE;
\set seated 0
\if :confirmed
WITH seat AS (UPDATE sessions SET taken = taken + 1 WHERE id = (@SESSIONS@)[:s1] AND (capacity IS NULL OR taken < capacity) RETURNING 1) SELECT count(*) AS seated FROM seat \gset
\endif
INSERT INTO registration_sessions (registration_id, session_id, status, queue_seq) VALUES (:reg_id, (@SESSIONS@)[:s1], CASE WHEN :seated = 1 THEN 'confirmed' ELSE 'waitlisted' END, :seq);
\set seated 0
\if :confirmed
WITH seat AS (UPDATE sessions SET taken = taken + 1 WHERE id = (@SESSIONS@)[:s2] AND (capacity IS NULL OR taken < capacity) RETURNING 1) SELECT count(*) AS seated FROM seat \gset
\endif
INSERT INTO registration_sessions (registration_id, session_id, status, queue_seq) VALUES (:reg_id, (@SESSIONS@)[:s2], CASE WHEN :seated = 1 THEN 'confirmed' ELSE 'waitlisted' END, :seq);
\if :k = 3
\set seated 0
\if :confirmed
WITH seat AS (UPDATE sessions SET taken = taken + 1 WHERE id = (@SESSIONS@)[:s3] AND (capacity IS NULL OR taken < capacity) RETURNING 1) SELECT count(*) AS seated FROM seat \gset
\endif
INSERT INTO registration_sessions (registration_id, session_id, status, queue_seq) VALUES (:reg_id, (@SESSIONS@)[:s3], CASE WHEN :seated = 1 THEN 'confirmed' ELSE 'waitlisted' END, :seq);
\endif
-- notify(): the registration as the delegate will see it, any organiser
-- wording for this email, then the rendered email into the outbox.
\if :confirmed = 0
SELECT event_id, country_code, capacity, taken, explicit FROM country_quotas WHERE event_id = '@EVENT@' AND country_code = (@COUNTRIES@)[:ci];
\if :cq_taken >= :cq_cap
SELECT count(*) FROM registrations WHERE event_id = '@EVENT@' AND status = 'waitlisted' AND queue_seq <= :seq AND country_code = (@COUNTRIES@)[:ci];
\else
SELECT count(*) FROM registrations WHERE event_id = '@EVENT@' AND status = 'waitlisted' AND queue_seq <= :seq;
\endif
\endif
SELECT c.registration_id, c.session_id, c.status, c.queue_seq, c.created_at, s.id, s.event_id, s.code, s.kind, s.title, s.titles, s.description, s.descriptions, s.room, s.starts_at, s.ends_at, s.capacity, s.taken FROM registration_sessions c JOIN sessions s ON s.id = c.session_id WHERE c.registration_id = :reg_id ORDER BY s.starts_at, s.code;
SELECT event_id, kind, language, subject, body FROM email_texts WHERE event_id = '@EVENT@' AND kind = CASE WHEN :confirmed = 1 THEN 'confirmation' ELSE 'waitlisted' END AND language = (ARRAY['fr', 'en', 'es', 'pt'])[:lang];
INSERT INTO email_outbox (id, event_id, registration_id, kind, recipient, language, subject, body_text, body_html, attachment_ics) SELECT gen_random_uuid(), '@EVENT@', :reg_id, t.kind, 'pgbench-' || :seq || '@bench.example.org', (ARRAY['fr', 'en', 'es', 'pt'])[:lang], t.subject, t.body_text, t.body_html, t.attachment_ics FROM bench_email_template t WHERE t.kind = CASE WHEN :confirmed = 1 THEN 'confirmation' ELSE 'waitlisted' END;
END;
