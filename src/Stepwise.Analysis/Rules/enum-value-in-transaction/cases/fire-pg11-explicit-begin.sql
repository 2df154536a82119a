-- pg-version: 11
-- stepwise:no-transaction
BEGIN;
ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'refunded' AFTER 'paid';
COMMIT;
