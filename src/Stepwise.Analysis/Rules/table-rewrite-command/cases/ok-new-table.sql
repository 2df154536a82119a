CREATE TABLE staging_orders (id bigint PRIMARY KEY, created_at timestamptz);
CREATE INDEX idx_staging_created ON staging_orders (created_at);
CLUSTER staging_orders USING idx_staging_created;
VACUUM FULL staging_orders;
