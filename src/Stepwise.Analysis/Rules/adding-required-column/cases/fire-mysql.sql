-- dialect: mysql
ALTER TABLE `users` ADD COLUMN `role` VARCHAR(20) NOT NULL AFTER `name`;
