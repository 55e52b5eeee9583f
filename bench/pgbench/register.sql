-- One registration attempt as Rencontre settles it when it is alone in its
-- batch (src/registration/register.rs `register_all`, src/db/registrations.rs),
-- statement for statement: the same schema, indexes, triggers and quota
-- layout, with the same random choices as bench/load.rs: a hot country with
-- probability hotpermille/1000, 2-3 sessions in consecutive time slots from
-- a random first slot. Rencontre runs these statements once per batch of up
-- to 64 registrations; pgbench runs them once per registration, which is
-- what a system without group commit does.
--
-- bench/run.sh fills in @EVENT@ (the event id), @COUNTRIES@ (text[] of
-- codes, hot ones first) and @SESSIONS@ (uuid[] of the sessions in slot
-- order, `rooms` per slot). Run with -M prepared: the :variables are then
-- bind parameters, as Diesel sends them.
--
-- Differences from Rencontre, all small: the email body is copied from a
-- real rendered email already in the database (bench_email_template) rather
-- than sent over the wire, and ids are v4 UUIDs made by the server. The
-- handler's look-ups of the event and its sessions are served by
-- Rencontre's in-process copy, so they have no statement here.
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
-- A per-client count (pgbench keeps a client's variables from one
-- transaction to the next; run.sh starts it at 0): with the client id it
-- makes every email of a run unique, so no attempt can abort on the live
-- email index the way random numbers once did (19,088 of 20,000 at 16
-- connections).
\set mail :mail + 1
BEGIN;
SELECT coalesce(capacity, 2147483647) AS ev_cap, taken AS ev_taken, waiting AS ev_waiting FROM events WHERE id = '@EVENT@' FOR NO KEY UPDATE \gset
SELECT lower(b.email) AS folded, EXISTS (SELECT 1 FROM registrations r WHERE r.event_id = '@EVENT@' AND r.status <> 'cancelled' AND lower(r.email) = lower(b.email)) AS taken FROM unnest(ARRAY['pgbench-' || :client_id || '-' || :mail || '@bench.example.org']) WITH ORDINALITY AS b(email, i) ORDER BY b.i;
INSERT INTO country_quotas (event_id, country_code, capacity, explicit) VALUES ('@EVENT@', (@COUNTRIES@)[:ci], NULL, false) ON CONFLICT DO NOTHING;
SELECT coalesce(capacity, 2147483647) AS cq_cap, taken AS cq_taken, waiting AS cq_waiting FROM country_quotas WHERE event_id = '@EVENT@' AND country_code = ANY(ARRAY[(@COUNTRIES@)[:ci]]) ORDER BY country_code FOR NO KEY UPDATE \gset
SELECT coalesce(array_agg(id ORDER BY id) FILTER (WHERE capacity IS NULL OR taken < capacity), '{}')::text AS free FROM (SELECT id, capacity, taken FROM sessions WHERE id = ANY(ARRAY[(@SESSIONS@)[:s1], (@SESSIONS@)[:s2], CASE WHEN :k = 3 THEN (@SESSIONS@)[:s3] END]) ORDER BY id FOR NO KEY UPDATE) s \gset
\set confirmed CASE WHEN :ev_taken < :ev_cap AND :cq_taken < :cq_cap THEN 1 ELSE 0 END
\if :confirmed
UPDATE events SET taken = taken + 1 WHERE id = '@EVENT@' AND (capacity IS NULL OR taken + 1 <= capacity);
UPDATE country_quotas q SET taken = q.taken + t.count FROM unnest(ARRAY[(@COUNTRIES@)[:ci]], ARRAY[1]) AS t(code, count) WHERE q.event_id = '@EVENT@' AND q.country_code = t.code::bpchar AND (q.capacity IS NULL OR q.taken + t.count <= q.capacity);
UPDATE sessions s SET taken = s.taken + 1 FROM unnest((:free)::uuid[]) AS t(id) WHERE s.id = t.id AND (s.capacity IS NULL OR s.taken + 1 <= s.capacity);
\endif
SELECT nextval('registration_queue_seq') AS seq FROM generate_series(1, 1) \gset
INSERT INTO registrations (id, event_id, reference, token_hash, given_name, family_name, email, country_code, organisation, language, status, queue_seq) VALUES (gen_random_uuid(), '@EVENT@', 'PGB-' || :seq, sha256(convert_to('pgbench-' || :seq, 'UTF8')), 'Aminata', 'Traoré', 'pgbench-' || :client_id || '-' || :mail || '@bench.example.org', (@COUNTRIES@)[:ci], 'Via Campesina', (ARRAY['fr', 'en', 'es', 'pt'])[:lang], CASE WHEN :confirmed = 1 THEN 'confirmed' ELSE 'waitlisted' END, :seq) RETURNING id AS reg_id \gset
INSERT INTO registration_sessions (registration_id, session_id, status, queue_seq) SELECT (:reg_id)::uuid, c.id, CASE WHEN :confirmed = 1 AND c.id = ANY((:free)::uuid[]) THEN 'confirmed' ELSE 'waitlisted' END, :seq FROM unnest(ARRAY[(@SESSIONS@)[:s1], (@SESSIONS@)[:s2], CASE WHEN :k = 3 THEN (@SESSIONS@)[:s3] END]) AS c(id) WHERE c.id IS NOT NULL;
SELECT event_id, kind, language, subject, body FROM email_texts WHERE event_id = '@EVENT@';
INSERT INTO email_outbox (id, event_id, registration_id, kind, recipient, language, subject, body_text, body_html, attachment_ics) SELECT gen_random_uuid(), '@EVENT@', (:reg_id)::uuid, t.kind, 'pgbench-' || :seq || '@bench.example.org', (ARRAY['fr', 'en', 'es', 'pt'])[:lang], t.subject, t.body_text, t.body_html, t.attachment_ics FROM bench_email_template t WHERE t.kind = CASE WHEN :confirmed = 1 THEN 'confirmation' ELSE 'waitlisted' END;
END;
