-- migration: 0001_users
CREATE TABLE users (id bigint PRIMARY KEY, public_id uuid DEFAULT gen_random_uuid());
-- migration: 0002_idempotent
-- the column exists already: ADD COLUMN IF NOT EXISTS does nothing
ALTER TABLE users ADD COLUMN IF NOT EXISTS public_id uuid DEFAULT gen_random_uuid();
