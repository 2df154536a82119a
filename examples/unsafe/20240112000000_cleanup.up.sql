-- BAD: rewrites the table under ACCESS EXCLUSIVE, and an explicit lock queues all traffic
LOCK TABLE orders IN ACCESS EXCLUSIVE MODE;
VACUUM FULL orders;
