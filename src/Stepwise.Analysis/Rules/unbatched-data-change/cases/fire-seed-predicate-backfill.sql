-- migration: 0001_display_name
ALTER TABLE users ADD COLUMN display_name TEXT;
-- migration: 0002_backfill
-- Step 2: Backfill data (migration 002, data migration): a predicate, not a batch
UPDATE users SET display_name = username WHERE display_name IS NULL;
