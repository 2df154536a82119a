-- migration: 0001_users
CREATE TABLE users (id bigint PRIMARY KEY, name varchar(30));
-- migration: 0002_widen
ALTER TABLE users ALTER COLUMN name TYPE varchar(60);
-- migration: 0003_widen_again
ALTER TABLE users RENAME COLUMN name TO display_name;
ALTER TABLE users ALTER COLUMN display_name TYPE varchar(90);
