ALTER TABLE IF EXISTS users ADD CONSTRAINT users_email_key UNIQUE (email);
