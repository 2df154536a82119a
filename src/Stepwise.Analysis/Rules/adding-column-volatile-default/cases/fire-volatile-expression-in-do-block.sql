-- expect: 2
ALTER TABLE sessions ADD COLUMN token text DEFAULT md5(random()::text);
DO $$
BEGIN
  ALTER TABLE api_keys ADD COLUMN created_at timestamptz DEFAULT clock_timestamp();
END
$$;
