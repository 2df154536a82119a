-- migration: 0001_users_new
CREATE TABLE users_new (id bigint PRIMARY KEY, email text NOT NULL);
-- migration: 0002_swap
BEGIN;
ALTER TABLE users RENAME TO users_old;
ALTER TABLE users_new RENAME TO users;
COMMIT;
