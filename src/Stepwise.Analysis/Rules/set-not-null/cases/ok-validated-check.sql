-- migration: 0001
CREATE TABLE users (id bigint PRIMARY KEY, email text);
ALTER TABLE users ADD CONSTRAINT users_email_nn CHECK (email IS NOT NULL) NOT VALID;
-- migration: 0002
ALTER TABLE users VALIDATE CONSTRAINT users_email_nn;
-- migration: 0003
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
ALTER TABLE users DROP CONSTRAINT users_email_nn;
