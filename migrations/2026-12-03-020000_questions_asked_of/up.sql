-- Which questions a registration is asked. A question may be asked only of
-- some participant categories (their codes; empty: of every registration),
-- and a question of stage `after_approval` only once the registration is
-- confirmed. Organisers see and change every answer.
ALTER TABLE questions ADD COLUMN categories text[] NOT NULL DEFAULT '{}';
