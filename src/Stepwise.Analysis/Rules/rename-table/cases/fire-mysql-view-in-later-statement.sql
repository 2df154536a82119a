-- dialect: mysql
-- each DDL commits on its own: between these two statements `users` does not exist
RENAME TABLE users TO accounts;
CREATE VIEW users AS SELECT * FROM accounts;
