-- migration: 0001_users
CREATE TABLE users (id bigint PRIMARY KEY, name text);
-- migration: 0002_role
-- BAD: NOT NULL without default on existing table
ALTER TABLE users ADD COLUMN role TEXT NOT NULL;
