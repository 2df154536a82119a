DROP INDEX IF EXISTS public.idx_orders_reference;
