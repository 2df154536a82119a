-- down
-- migration: 0002_rename
ALTER TABLE users RENAME TO accounts;
-- migration: 0002_rename.down
ALTER TABLE accounts RENAME TO users;
