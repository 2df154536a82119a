-- stepwise:no-transaction
VACUUM orders;
VACUUM (ANALYZE, VERBOSE) orders;
VACUUM (FULL false) orders;
VACUUM (FULL off, ANALYZE) invoices;
ANALYZE orders;
