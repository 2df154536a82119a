-- dialect: mysql
-- mysql-version: mariadb-10.11
-- a failed run can simply be re-run: everything before the last DDL says IF [NOT] EXISTS
CREATE TABLE IF NOT EXISTS audit_log (id BIGINT AUTO_INCREMENT PRIMARY KEY, action VARCHAR(50) NOT NULL);
ALTER TABLE users ADD COLUMN IF NOT EXISTS last_login DATETIME NULL;
DROP TABLE IF EXISTS audit_log_old;
CREATE INDEX idx_audit_action ON audit_log (action);
