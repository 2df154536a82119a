-- dialect: mysql
-- the statements inside the procedure body run when it is called; the file has one DDL statement
DELIMITER //
CREATE PROCEDURE archive_orders()
BEGIN
  CREATE TABLE IF NOT EXISTS orders_archive LIKE orders;
  ALTER TABLE orders_archive ADD COLUMN archived_at DATETIME NULL;
  DELETE FROM orders WHERE status = 'closed';
END //
DELIMITER ;
