-- Two dates an organiser may give a question: the moment after which a
-- delegate may no longer change their answer (organisers still may), and
-- how many days after the event its answers are kept; the worker deletes
-- them then (with the files they name) and sets the choices' counters to
-- what is left: nothing.
ALTER TABLE questions
    ADD COLUMN answers_until    timestamptz,
    ADD COLUMN purge_after_days integer CHECK (purge_after_days BETWEEN 0 AND 3650);

-- The worker's hourly look for questions whose answers are due to go.
CREATE INDEX questions_purge_idx ON questions (event_id) WHERE purge_after_days IS NOT NULL;
