-- expect: 2
ALTER TABLE public.orders RENAME status TO order_status;
ALTER TABLE IF EXISTS "Invoices" RENAME COLUMN "Total" TO "GrandTotal";
