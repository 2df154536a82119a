-- BAD: dropping a column the running code may still use
ALTER TABLE orders DROP COLUMN legacy_status;
