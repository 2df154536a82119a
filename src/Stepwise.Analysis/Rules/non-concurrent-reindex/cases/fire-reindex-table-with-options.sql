-- expect: 2
REINDEX (VERBOSE) TABLE orders;
reindex schema billing;
