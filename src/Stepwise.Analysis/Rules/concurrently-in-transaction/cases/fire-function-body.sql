CREATE OR REPLACE FUNCTION rebuild_order_index() RETURNS void AS $$
BEGIN
  REINDEX INDEX CONCURRENTLY idx_orders_created;
END
$$ LANGUAGE plpgsql;
