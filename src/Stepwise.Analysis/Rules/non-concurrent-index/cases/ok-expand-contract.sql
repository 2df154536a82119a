-- migration: 0001_users
CREATE TABLE users (id bigint PRIMARY KEY, email text);
-- migration: 0002_index
-- stepwise:expand-contract
CREATE INDEX idx_users_email ON users (email);
