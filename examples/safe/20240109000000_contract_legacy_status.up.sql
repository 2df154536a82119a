-- Contract: the application stopped using legacy_status in release 42; now the column can go.
-- stepwise:ignore drop-column code stopped reading legacy_status in release 42
ALTER TABLE orders DROP COLUMN legacy_status;
