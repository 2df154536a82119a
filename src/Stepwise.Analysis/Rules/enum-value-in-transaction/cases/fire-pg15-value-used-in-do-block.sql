ALTER TYPE order_status ADD VALUE 'refunded';
DO $$
BEGIN
  UPDATE orders SET status = 'refunded' WHERE id IN (SELECT order_id FROM refunds LIMIT 100);
END
$$;
