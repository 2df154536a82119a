-- dialect: mysql
DROP TABLE `user_profile`;
