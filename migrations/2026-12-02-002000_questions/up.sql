-- The organisers' own questions, their choices and the delegates' answers.
-- A choice's `taken` counts the live (not cancelled) registrations whose
-- answer holds it; it is moved by guarded updates in the registering
-- transaction like a session's seats, with the CHECK as the second wall.

CREATE TABLE questions (
    id          uuid PRIMARY KEY,
    event_id    uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    code        text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{0,31}$'),
    kind        text NOT NULL CHECK (kind IN ('text', 'long_text', 'yes_no', 'single_choice',
                                              'multiple_choice', 'number', 'date', 'country')),
    labels      jsonb NOT NULL CHECK (jsonb_typeof(labels) = 'object'),
    help        jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(help) = 'object'),
    required    boolean NOT NULL DEFAULT false,
    position    integer NOT NULL DEFAULT 0,
    sensitive   boolean NOT NULL DEFAULT false,
    stage       text NOT NULL DEFAULT 'registration'
                CHECK (stage IN ('registration', 'after_approval')),
    -- {"question": "<code>", "any_of": ["<word>", …]}
    condition   jsonb CHECK (condition IS NULL OR jsonb_typeof(condition) = 'object'),
    min_number  bigint,
    max_number  bigint,
    min_date    date,
    max_date    date,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (event_id, code),
    CHECK (min_number IS NULL OR max_number IS NULL OR min_number <= max_number),
    CHECK (min_date IS NULL OR max_date IS NULL OR min_date <= max_date)
);
CREATE INDEX questions_event_idx ON questions (event_id, position, code);

CREATE TABLE question_choices (
    id          uuid PRIMARY KEY,
    question_id uuid NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    code        text NOT NULL CHECK (code ~ '^[a-z0-9][a-z0-9_-]{0,31}$'),
    labels      jsonb NOT NULL CHECK (jsonb_typeof(labels) = 'object'),
    position    integer NOT NULL DEFAULT 0,
    capacity    integer CHECK (capacity >= 0),
    taken       integer NOT NULL DEFAULT 0 CHECK (taken >= 0),
    UNIQUE (question_id, code),
    CONSTRAINT question_choices_taken_within_capacity CHECK (capacity IS NULL OR taken <= capacity)
);

CREATE TABLE registration_answers (
    registration_id uuid NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    question_id     uuid NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    value           jsonb NOT NULL,
    PRIMARY KEY (registration_id, question_id)
);
CREATE INDEX registration_answers_question_idx ON registration_answers (question_id);
