-- stepwise:no-transaction
DO $$
BEGIN
  ALTER TYPE order_status ADD VALUE IF NOT EXISTS 'refunded';
  UPDATE orders SET status = 'refunded' WHERE id = 7;
END
$$;
