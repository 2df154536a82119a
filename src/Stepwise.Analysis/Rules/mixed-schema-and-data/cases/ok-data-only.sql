-- Step 2: Backfill data (migration 002, data migration)
UPDATE users SET display_name = username WHERE display_name IS NULL;
DELETE FROM sessions WHERE expires_at < now();
