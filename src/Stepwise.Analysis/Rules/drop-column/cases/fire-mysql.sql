-- dialect: mysql
-- expect: 2
ALTER TABLE `orders` DROP `legacy_status`, DROP COLUMN notes;
