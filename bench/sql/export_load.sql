-- Scenario 4's attendee list: :rows registrations written straight into a
-- copy of the rush event (60 countries, 20 sessions), with their session
-- choices and their (already sent) emails, and every counter set from the
-- rows, so that `rencontre check` holds. 30% of delegates come from the three
-- popular countries; in each country the latest 5% wait for a place (its
-- quota is exactly full); each delegate chose 2 or 3 sessions in consecutive
-- time slots; the rooms are exactly full. Names and organisations mix
-- scripts as real lists do.
\set ON_ERROR_STOP on
BEGIN;
SELECT id AS event_id FROM events WHERE slug = 'rush' \gset

CREATE TEMP TABLE bench_countries ON COMMIT DROP AS
SELECT country_code, row_number() OVER (ORDER BY capacity DESC, country_code) AS position
  FROM country_quotas WHERE event_id = :'event_id';
CREATE TEMP TABLE bench_sessions ON COMMIT DROP AS
SELECT id, row_number() OVER (ORDER BY starts_at, code) AS position
  FROM sessions WHERE event_id = :'event_id';

INSERT INTO registrations (id, event_id, reference, token_hash, given_name, family_name, email,
                           country_code, organisation, language, status, queue_seq,
                           created_at, updated_at)
SELECT gen_random_uuid(), :'event_id', 'EXP-' || g,
       sha256(convert_to('bench-export-' || g, 'UTF8')),
       (ARRAY['Aminata', 'Moussa', 'Fatou', 'Ibrahima', 'Marie-Claire', 'João', 'Lucía',
              'Nguyễn Thị', 'Αλέξανδρος', 'Аня', 'عائشة', 'Kwame'])[1 + g % 12],
       (ARRAY['Traoré', 'Diop', 'Ndiaye', 'Sow', 'da Silva', 'García Márquez', 'Ouédraogo',
              'Mensah', 'Koné', 'Ba'])[1 + (g / 12) % 10],
       'export-' || g || '@bench.example.org',
       c.country_code,
       (ARRAY['Via Campesina', 'Marche mondiale des femmes', 'ATTAC',
              'Réseau des organisations paysannes', 'Sindicato de trabajadores rurales', ''])[1 + (g / 7) % 6],
       (ARRAY['fr', 'en', 'es', 'pt'])[1 + (g / 3) % 4],
       'confirmed',
       nextval('registration_queue_seq'),
       now() - interval '20 days' + g * interval '10 seconds',
       now() - interval '20 days' + g * interval '10 seconds'
  FROM generate_series(1, :rows) AS g
  JOIN bench_countries c
    ON c.position = CASE WHEN g % 10 < 3 THEN 1 + (g / 10) % 3 ELSE 4 + (g * 7919) % 57 END;

-- The latest 5% of each country wait.
UPDATE registrations r SET status = 'waitlisted'
  FROM (SELECT id, row_number() OVER (PARTITION BY country_code ORDER BY queue_seq DESC) AS from_end,
               count(*) OVER (PARTITION BY country_code) AS total
          FROM registrations WHERE event_id = :'event_id') w
 WHERE w.id = r.id AND w.from_end <= w.total / 20;

INSERT INTO registration_sessions (registration_id, session_id, status, queue_seq, created_at)
SELECT r.id, s.id,
       CASE WHEN r.status = 'confirmed' THEN 'confirmed' ELSE 'waitlisted' END,
       r.queue_seq, r.created_at
  FROM registrations r
  CROSS JOIN LATERAL generate_series(0, 1 + (r.queue_seq % 2)::int) AS step
  JOIN bench_sessions s
    ON s.position = 1 + ((r.queue_seq / 2 + step) % 5) * 4 + ((r.queue_seq / 10 + step) % 4)
 WHERE r.event_id = :'event_id';

INSERT INTO email_outbox (id, event_id, registration_id, kind, recipient, language, subject,
                          body_text, status, attempts, created_at, sent_at)
SELECT gen_random_uuid(), r.event_id, r.id,
       CASE WHEN r.status = 'confirmed' THEN 'confirmation' ELSE 'waitlisted' END,
       r.email, r.language, 'Inscription ' || r.reference,
       'Bonjour ' || r.given_name || ', votre inscription ' || r.reference || ' est enregistrée.',
       'sent', 1, r.created_at, r.created_at
  FROM registrations r WHERE r.event_id = :'event_id';

-- Counters from the rows: quotas and rooms exactly full.
UPDATE country_quotas q SET capacity = n.confirmed, taken = n.confirmed
  FROM (SELECT q2.country_code, count(r.id) AS confirmed
          FROM country_quotas q2
          LEFT JOIN registrations r ON r.event_id = q2.event_id
               AND r.country_code = q2.country_code AND r.status = 'confirmed'
         WHERE q2.event_id = :'event_id' GROUP BY q2.country_code) n
 WHERE q.event_id = :'event_id' AND q.country_code = n.country_code;
UPDATE sessions s SET capacity = n.seated, taken = n.seated
  FROM (SELECT s2.id, count(c.registration_id) AS seated
          FROM sessions s2
          LEFT JOIN registration_sessions c ON c.session_id = s2.id AND c.status = 'confirmed'
         WHERE s2.event_id = :'event_id' GROUP BY s2.id) n
 WHERE s.id = n.id;
UPDATE events e SET capacity = :rows, taken = (SELECT count(*) FROM registrations
                                                WHERE event_id = :'event_id' AND status = 'confirmed')
 WHERE e.id = :'event_id';
COMMIT;
ANALYZE;
