-- expect: 2
-- migration: 0001_users
CREATE TABLE users (id bigint PRIMARY KEY, name varchar(100), bio text, score numeric(10,2));
-- migration: 0002_narrow
ALTER TABLE users ALTER COLUMN name TYPE varchar(50);
ALTER TABLE users ALTER COLUMN score SET DATA TYPE numeric(10,3);
