-- migration: 0001_users
CREATE TABLE users (id bigint PRIMARY KEY, code varchar(20));
-- migration: 0002_using
ALTER TABLE users ALTER COLUMN code TYPE varchar(40) USING upper(code);
