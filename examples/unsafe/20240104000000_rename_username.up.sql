-- BAD: the running release still reads "username"
ALTER TABLE users RENAME COLUMN username TO login;
