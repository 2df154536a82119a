-- dialect: mysql
-- expect: 1
LOCK TABLES `users` WRITE;
UPDATE `users` SET `status` = 'active' WHERE `id` = 1;
UNLOCK TABLES;
