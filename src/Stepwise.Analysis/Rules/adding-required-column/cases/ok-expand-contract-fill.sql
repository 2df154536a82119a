-- migration: 0001_users
CREATE TABLE users (id bigint PRIMARY KEY);
-- migration: 0002_role
-- stepwise:expand-contract
-- stepwise:fill role = 'member'
ALTER TABLE users ADD COLUMN role text NOT NULL;
