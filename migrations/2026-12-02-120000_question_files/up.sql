-- The `file` question type: nomination letters and photos, kept in the
-- database beside the registration they belong to. Its kind is checked
-- from the bytes before a row is written; the CHECKs are the second wall.

ALTER TABLE questions DROP CONSTRAINT questions_kind_check;
ALTER TABLE questions ADD CONSTRAINT questions_kind_check
    CHECK (kind IN ('text', 'long_text', 'yes_no', 'single_choice', 'multiple_choice',
                    'number', 'date', 'country', 'file'));

CREATE TABLE registration_files (
    id              uuid PRIMARY KEY,
    registration_id uuid NOT NULL REFERENCES registrations (id) ON DELETE CASCADE,
    question_id     uuid NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    content_type    text NOT NULL
                    CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    size            integer NOT NULL CHECK (size > 0),
    sha256          bytea NOT NULL CHECK (octet_length(sha256) = 32),
    bytes           bytea NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (octet_length(bytes) = size)
);
CREATE INDEX registration_files_registration_idx
    ON registration_files (registration_id, question_id);
CREATE INDEX registration_files_question_idx ON registration_files (question_id);
