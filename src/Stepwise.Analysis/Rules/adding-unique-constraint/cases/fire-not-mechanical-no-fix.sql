-- expect: 3
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE NULLS NOT DISTINCT (email);
ALTER TABLE users ADD CONSTRAINT users_code_key UNIQUE (code) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE users ADD COLUMN handle text, ADD CONSTRAINT users_handle_key UNIQUE (handle);
