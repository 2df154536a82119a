-- migration: 0001_users
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
-- migration: 0002_unique_email
-- stepwise:expand-contract
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);
