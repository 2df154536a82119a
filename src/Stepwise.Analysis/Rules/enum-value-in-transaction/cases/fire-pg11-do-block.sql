-- pg-version: 11
-- stepwise:no-transaction
DO $$
BEGIN
  ALTER TYPE order_status ADD VALUE 'refunded';
END
$$;
