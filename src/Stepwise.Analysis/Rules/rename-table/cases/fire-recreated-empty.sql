-- the old name comes back, but as an empty table: the rows stayed in users_old
ALTER TABLE users RENAME TO users_old;
CREATE TABLE users (id bigint PRIMARY KEY, email text);
