-- migration: 0001_users
CREATE TABLE users (id bigint PRIMARY KEY, bio text);
-- migration: 0002_limit
ALTER TABLE users ALTER COLUMN bio TYPE varchar(20);
