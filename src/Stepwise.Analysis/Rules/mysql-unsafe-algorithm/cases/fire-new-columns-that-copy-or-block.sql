-- dialect: mysql
-- expect: 3
ALTER TABLE orders ADD COLUMN total_cents BIGINT AS (total * 100) STORED;
ALTER TABLE legacy ADD COLUMN id BIGINT NOT NULL AUTO_INCREMENT UNIQUE;
ALTER TABLE orders ADD CONSTRAINT chk_total CHECK (total >= 0);
