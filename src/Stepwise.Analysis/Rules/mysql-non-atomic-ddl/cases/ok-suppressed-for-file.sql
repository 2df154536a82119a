-- dialect: mysql
-- stepwise:ignore-file mysql-non-atomic-ddl the table is new and nothing uses it yet; a failure is fixed by dropping it
CREATE TABLE invoices (id BIGINT AUTO_INCREMENT PRIMARY KEY, total DECIMAL(12,2) NOT NULL);
CREATE INDEX idx_invoices_total ON invoices (total);
