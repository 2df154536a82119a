-- a column this file adds has no readers yet
ALTER TABLE users ADD COLUMN displayname text;
ALTER TABLE users RENAME COLUMN displayname TO display_name;
