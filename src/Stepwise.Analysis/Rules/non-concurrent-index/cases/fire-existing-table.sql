-- migration: 0001_users
CREATE TABLE users (id bigint PRIMARY KEY, email text);
-- migration: 0002_index
CREATE INDEX idx_users_email ON users (email);
