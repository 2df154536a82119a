-- dialect: sqlite
-- migration: 0001_users
CREATE TABLE users (id INTEGER PRIMARY KEY, username TEXT);
-- migration: 0002_rename
-- stepwise:expand-contract
ALTER TABLE users RENAME COLUMN username TO display_name;
