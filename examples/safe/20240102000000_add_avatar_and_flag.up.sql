-- GOOD: nullable column, no rewrite, brief lock
ALTER TABLE users ADD COLUMN avatar_url text;
-- GOOD: non-volatile default is instant on PostgreSQL 11+
ALTER TABLE users ADD COLUMN is_active boolean NOT NULL DEFAULT true;
