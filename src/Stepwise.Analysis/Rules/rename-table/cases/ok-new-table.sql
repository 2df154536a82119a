CREATE TABLE staging_users (id bigint PRIMARY KEY);
ALTER TABLE staging_users RENAME TO imported_users;
