-- a bounded batch (LIMIT subquery); `stepwise backfill` runs such batches until done
UPDATE users SET display_name = username
WHERE id IN (SELECT id FROM users WHERE display_name IS NULL ORDER BY id LIMIT 1000);
