-- expect: 2
CREATE UNIQUE INDEX idx_orders_ref ON orders (reference);
create index if not exists idx_orders_created on public.orders using btree (created_at) where deleted_at is null;
