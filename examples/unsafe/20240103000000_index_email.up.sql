-- BAD: blocks writes on large tables for the whole build
CREATE INDEX idx_users_email ON users (email);
