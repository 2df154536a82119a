-- stepwise:backfill
-- `up` runs this UPDATE in keyset batches on users.id (one commit and checkpoint each, resumable after a
-- crash or Ctrl-C) instead of as one statement: see README, "A backfill as a migration file"
UPDATE users SET display_name = username WHERE display_name IS NULL;
