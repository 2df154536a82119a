-- pg-version: 10
-- expect: 2
ALTER TABLE users ADD COLUMN is_active boolean NOT NULL DEFAULT true;
ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT now(), ADD COLUMN note text;
