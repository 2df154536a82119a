-- pg-version: 11
-- stepwise:no-transaction
ALTER TYPE order_status ADD VALUE 'refunded';
