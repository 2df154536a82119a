-- migration: 0001_users
CREATE TABLE users (id bigint PRIMARY KEY, username text NOT NULL);
-- migration: 0002_rename
-- the directive takes effect only as the first line: this runs as a plain rename
-- stepwise:expand-contract
ALTER TABLE users RENAME COLUMN username TO display_name;
