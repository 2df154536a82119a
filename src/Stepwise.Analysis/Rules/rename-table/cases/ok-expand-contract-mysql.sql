-- dialect: mysql
-- migration: 0001_users
CREATE TABLE users (id bigint PRIMARY KEY);
-- migration: 0002_rename
-- stepwise:expand-contract
RENAME TABLE users TO accounts;
