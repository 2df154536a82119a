-- BAD: full scan under ACCESS EXCLUSIVE; no validated CHECK (status IS NOT NULL) exists
ALTER TABLE orders ALTER COLUMN legacy_status SET NOT NULL;
