-- dialect: sqlite
-- SQLite has no ALTER COLUMN TYPE; table rebuilds are judged elsewhere
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);
ALTER TABLE notes ADD COLUMN title TEXT;
