-- expect: 1
-- migration: 0001_users
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);
-- migration: 0002_public_id
ALTER TABLE users ADD COLUMN public_id uuid NOT NULL DEFAULT gen_random_uuid();
