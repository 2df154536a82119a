-- dialect: mysql
-- migration: 0001_orders
CREATE TABLE `orders` (`id` INT NOT NULL AUTO_INCREMENT PRIMARY KEY, `code` VARCHAR(60));
-- migration: 0002_bigint
ALTER TABLE `orders` MODIFY `id` BIGINT NOT NULL AUTO_INCREMENT;
