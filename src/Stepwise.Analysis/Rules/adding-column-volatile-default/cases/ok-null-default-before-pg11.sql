-- pg-version: 10
ALTER TABLE users ADD COLUMN note text;
ALTER TABLE users ADD COLUMN deleted_at timestamptz DEFAULT NULL;
