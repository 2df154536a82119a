-- dialect: mysql
-- expect: 2
-- CHANGE old new renames the column while restating its definition
ALTER TABLE `users` CHANGE `username` `login` VARCHAR(64) NOT NULL;
ALTER TABLE users RENAME COLUMN email TO email_address;
