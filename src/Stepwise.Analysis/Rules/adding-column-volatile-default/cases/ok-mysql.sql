-- dialect: mysql
-- the rewrite rules of PostgreSQL do not apply; MySQL rules judge this
ALTER TABLE users ADD COLUMN public_id CHAR(36) NOT NULL DEFAULT (uuid());
