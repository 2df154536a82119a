-- dialect: mysql
LOCK TABLES orders READ;
UNLOCK TABLES;
