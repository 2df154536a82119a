-- dialect: mysql
DELIMITER $$
CREATE TRIGGER users_touch AFTER UPDATE ON users FOR EACH ROW
BEGIN
  UPDATE user_stats SET updated_count = updated_count + 1;
END$$
DELIMITER ;
