-- expect: 2
CLUSTER orders USING idx_orders_created;
CLUSTER;
