-- BAD: full scan under ACCESS EXCLUSIVE; no validated CHECK (shipped_at IS NOT NULL) exists
ALTER TABLE orders ALTER COLUMN shipped_at SET NOT NULL;
