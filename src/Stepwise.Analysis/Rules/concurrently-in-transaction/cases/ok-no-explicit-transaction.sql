-- Stepwise runs a migration with CONCURRENTLY outside a transaction
-- BEGIN; in a comment is not a statement
SELECT 'BEGIN';
CREATE INDEX CONCURRENTLY idx_users_email ON users (email);
REINDEX TABLE CONCURRENTLY users;
ALTER TABLE measurements DETACH PARTITION measurements_2020 CONCURRENTLY;
