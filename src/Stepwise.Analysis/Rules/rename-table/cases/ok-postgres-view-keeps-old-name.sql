-- one transaction: the old name is a view (auto-updatable) before any query can see it missing
ALTER TABLE users RENAME TO accounts;
CREATE VIEW users AS SELECT * FROM accounts;
