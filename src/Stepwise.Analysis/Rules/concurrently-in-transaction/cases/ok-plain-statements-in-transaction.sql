BEGIN;
CREATE TABLE tags (id bigint PRIMARY KEY, name text);
CREATE INDEX idx_tags_name ON tags (name);
ALTER TABLE measurements DETACH PARTITION measurements_2020;
REFRESH MATERIALIZED VIEW CONCURRENTLY order_totals;
COMMIT;
