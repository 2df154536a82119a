-- BAD: builds a unique index under ACCESS EXCLUSIVE
ALTER TABLE users ADD CONSTRAINT users_email_unique UNIQUE (email);
