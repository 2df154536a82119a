ALTER TYPE order_status ADD VALUE 'refunded';
-- UPDATE orders SET status = 'refunded';
CREATE FUNCTION mark_refunded(order_id bigint) RETURNS void AS $$
BEGIN
  UPDATE orders SET status = 'refunded' WHERE id = order_id;
END
$$ LANGUAGE plpgsql;
