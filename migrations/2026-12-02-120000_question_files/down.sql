DROP TABLE registration_files;
DELETE FROM questions WHERE kind = 'file';
ALTER TABLE questions DROP CONSTRAINT questions_kind_check;
ALTER TABLE questions ADD CONSTRAINT questions_kind_check
    CHECK (kind IN ('text', 'long_text', 'yes_no', 'single_choice', 'multiple_choice',
                    'number', 'date', 'country'));
