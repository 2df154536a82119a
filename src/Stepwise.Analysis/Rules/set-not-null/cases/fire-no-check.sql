-- migration: 0001
CREATE TABLE users (id bigint PRIMARY KEY, email text);
-- migration: 0002
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
