-- VACUUM FULL orders;
SELECT 'CLUSTER orders';
