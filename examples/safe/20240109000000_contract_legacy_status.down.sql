ALTER TABLE orders ADD COLUMN legacy_status text;
