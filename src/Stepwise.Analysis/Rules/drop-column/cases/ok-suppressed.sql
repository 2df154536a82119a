-- stepwise:ignore drop-column code stopped using it in release 42
ALTER TABLE orders DROP COLUMN legacy_status;
