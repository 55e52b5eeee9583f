ALTER TABLE questions DROP COLUMN categories;
