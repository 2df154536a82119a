-- ALTER TABLE users RENAME COLUMN username TO login;
/* ALTER TABLE users RENAME COLUMN username TO login; */
SELECT 'ALTER TABLE users RENAME COLUMN username TO login';
ALTER TABLE users RENAME CONSTRAINT users_pkey TO users_pk;
