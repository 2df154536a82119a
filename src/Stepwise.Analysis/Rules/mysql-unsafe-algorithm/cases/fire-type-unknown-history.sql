-- dialect: mysql
ALTER TABLE `orders` CHANGE `amount` `amount` DECIMAL(12,2) NOT NULL;
