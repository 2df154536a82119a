-- pg-version: 11
-- expect: 1
REINDEX TABLE orders;
