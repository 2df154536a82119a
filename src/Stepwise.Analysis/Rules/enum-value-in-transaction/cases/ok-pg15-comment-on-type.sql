ALTER TYPE order_status ADD VALUE 'refunded';
COMMENT ON TYPE order_status IS 'refunded';
