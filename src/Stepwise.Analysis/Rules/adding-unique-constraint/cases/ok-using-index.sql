-- migration: 0001_users
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
-- migration: 0002_index
-- stepwise:no-transaction
CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);
-- migration: 0003_constraint
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;
ALTER TABLE accounts ADD PRIMARY KEY USING INDEX accounts_id_idx;
