-- dialect: mysql
CREATE TABLE `import_batches` (`id` BIGINT PRIMARY KEY);
LOCK TABLES `import_batches` WRITE;
UNLOCK TABLES;
