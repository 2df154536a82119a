-- dialect: mysql
-- expect: 3
RENAME TABLE users TO accounts, orders TO purchases;
ALTER TABLE `invoices` RENAME `bills`;
