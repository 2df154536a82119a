ALTER TABLE users ALTER COLUMN age TYPE bigint;
CREATE INDEX idx_users_email ON users (email);
