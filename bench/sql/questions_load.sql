-- Scenario 4q: eight questions on the rush event of a copy of scenario 4's
-- attendee list, every registration answering each of them (a conditional
-- one: those who want a hotel), and every choice counter set from the
-- answers, so that `rencontre check` holds. None is sensitive: all are
-- exported.
\set ON_ERROR_STOP on
BEGIN;
SELECT id AS event_id FROM events WHERE slug = 'rush' \gset

INSERT INTO questions (id, event_id, code, kind, labels, required, position, condition,
                       min_number, max_number, min_date, max_date)
VALUES (gen_random_uuid(), :'event_id', 'diet', 'single_choice', '{"fr": "Régime alimentaire", "en": "Diet"}', true, 1, NULL, NULL, NULL, NULL, NULL),
       (gen_random_uuid(), :'event_id', 'langs', 'multiple_choice', '{"fr": "Interprétation", "en": "Interpretation"}', false, 2, NULL, NULL, NULL, NULL, NULL),
       (gen_random_uuid(), :'event_id', 'hotel', 'yes_no', '{"fr": "Hôtel ?", "en": "Hotel?"}', true, 3, NULL, NULL, NULL, NULL, NULL),
       (gen_random_uuid(), :'event_id', 'nights', 'number', '{"fr": "Nuits", "en": "Nights"}', true, 4,
        '{"question": "hotel", "any_of": ["yes"]}', 1, 10, NULL, NULL),
       (gen_random_uuid(), :'event_id', 'arrival', 'date', '{"fr": "Arrivée", "en": "Arrival"}', false, 5, NULL, NULL, NULL, '2027-11-18', '2027-11-23'),
       (gen_random_uuid(), :'event_id', 'passport', 'country', '{"fr": "Passeport", "en": "Passport"}', false, 6, NULL, NULL, NULL, NULL, NULL),
       (gen_random_uuid(), :'event_id', 'network', 'text', '{"fr": "Réseau", "en": "Network"}', false, 7, NULL, NULL, NULL, NULL, NULL),
       (gen_random_uuid(), :'event_id', 'remarks', 'long_text', '{"fr": "Remarques", "en": "Remarks"}', false, 8, NULL, NULL, NULL, NULL, NULL);

INSERT INTO question_choices (id, question_id, code, labels, position)
SELECT gen_random_uuid(), q.id, c.code, c.labels::jsonb, c.position
  FROM questions q
  JOIN (VALUES ('diet', 'none', '{"fr": "Aucun", "en": "None"}', 1),
               ('diet', 'veg', '{"fr": "Végétarien", "en": "Vegetarian"}', 2),
               ('diet', 'vegan', '{"fr": "Végétalien", "en": "Vegan"}', 3),
               ('diet', 'halal', '{"fr": "Halal", "en": "Halal"}', 4),
               ('diet', 'kosher', '{"fr": "Casher", "en": "Kosher"}', 5),
               ('langs', 'fr', '{"fr": "Français", "en": "French"}', 1),
               ('langs', 'en', '{"fr": "Anglais", "en": "English"}', 2),
               ('langs', 'es', '{"fr": "Espagnol", "en": "Spanish"}', 3),
               ('langs', 'pt', '{"fr": "Portugais", "en": "Portuguese"}', 4)) AS c(question, code, labels, position)
    ON c.question = q.code
 WHERE q.event_id = :'event_id';

CREATE TEMP TABLE bench_questions ON COMMIT DROP AS
SELECT code, id FROM questions WHERE event_id = :'event_id';

INSERT INTO registration_answers (registration_id, question_id, value)
SELECT r.id, q.id,
       CASE q.code
           WHEN 'diet' THEN to_jsonb((ARRAY['none', 'veg', 'vegan', 'halal', 'kosher'])[1 + r.queue_seq % 5])
           WHEN 'langs' THEN (ARRAY['["fr", "pt"]', '["en", "es"]', '["es", "pt"]', '["fr", "en"]'])[1 + r.queue_seq % 4]::jsonb
           WHEN 'hotel' THEN to_jsonb(r.queue_seq % 3 <> 0)
           WHEN 'nights' THEN to_jsonb(1 + r.queue_seq % 10)
           WHEN 'arrival' THEN to_jsonb((date '2027-11-18' + (r.queue_seq % 6)::integer)::text)
           WHEN 'passport' THEN to_jsonb(r.country_code::text)
           WHEN 'network' THEN to_jsonb(r.organisation || ' (' || r.country_code || ')')
           ELSE to_jsonb('Arrivée par la route depuis ' || r.country_code || ', besoin d''une rampe.')
       END
  FROM registrations r
  CROSS JOIN bench_questions q
 WHERE r.event_id = :'event_id'
   AND (q.code <> 'nights' OR r.queue_seq % 3 <> 0);

-- Every choice counts the live registrations that hold it.
UPDATE question_choices c SET taken = held.n
  FROM (SELECT c2.id, count(*)::integer AS n
          FROM question_choices c2
          JOIN registration_answers a ON a.question_id = c2.question_id
          JOIN registrations r ON r.id = a.registration_id AND r.status <> 'cancelled'
         WHERE a.value = to_jsonb(c2.code) OR a.value @> jsonb_build_array(c2.code)
         GROUP BY c2.id) held
 WHERE c.id = held.id;
COMMIT;
ANALYZE registration_answers;
