-- stepwise:no-transaction
-- expect: 3
VACUUM (FULL, ANALYZE) orders;
VACUUM (FULL true) invoices;
VACUUM FULL;
