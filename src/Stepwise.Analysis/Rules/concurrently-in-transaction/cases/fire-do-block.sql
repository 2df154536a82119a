-- stepwise:no-transaction
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = 'idx_orders_created') THEN
    CREATE INDEX CONCURRENTLY idx_orders_created ON orders (created_at);
  END IF;
END
$$;
