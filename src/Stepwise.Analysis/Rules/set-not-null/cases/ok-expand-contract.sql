-- migration: 0001_users
CREATE TABLE users (id bigint PRIMARY KEY, email text);
-- migration: 0002_not_null
-- stepwise:expand-contract
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
