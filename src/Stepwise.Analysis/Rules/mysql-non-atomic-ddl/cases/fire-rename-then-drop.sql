-- dialect: mysql
RENAME TABLE sessions TO sessions_old;
DROP TABLE sessions_old;
