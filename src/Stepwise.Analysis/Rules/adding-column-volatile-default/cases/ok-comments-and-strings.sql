-- ALTER TABLE users ADD COLUMN id uuid DEFAULT gen_random_uuid();
/* ALTER TABLE users ADD COLUMN n bigserial; */
SELECT 'ALTER TABLE users ADD COLUMN t text DEFAULT random()';
