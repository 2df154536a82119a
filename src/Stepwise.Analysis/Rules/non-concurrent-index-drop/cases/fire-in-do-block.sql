DO $$
BEGIN
  DROP INDEX idx_orders_created;
END
$$;
