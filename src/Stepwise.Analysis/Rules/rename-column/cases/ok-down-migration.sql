-- down
-- migration: 0002_rename
ALTER TABLE users RENAME COLUMN username TO login;
-- migration: 0002_rename.down
ALTER TABLE users RENAME COLUMN login TO username;
