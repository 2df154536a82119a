-- dialect: mysql
-- migration: 0001_shadow
CREATE TABLE users_new (id BIGINT PRIMARY KEY, email VARCHAR(255) NOT NULL);
-- migration: 0002_cut_over
-- one RENAME TABLE statement is atomic: `users` never disappears
RENAME TABLE users TO users_old, users_new TO users;
