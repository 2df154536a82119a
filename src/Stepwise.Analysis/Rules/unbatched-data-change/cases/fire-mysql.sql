-- dialect: mysql
-- expect: 2
UPDATE `orders` SET `status` = 'archived' WHERE `created_at` < '2020-01-01';
DELETE FROM orders WHERE customer_id IN (SELECT id FROM customers WHERE deleted = 1);
