-- pgroll-style expand in one file: column, sync trigger, and the backfill all together
ALTER TABLE users ADD COLUMN display_name text;
CREATE FUNCTION users_sync_display_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.display_name := COALESCE(NEW.display_name, NEW.username);
  RETURN NEW;
END;
$$;
CREATE TRIGGER users_sync BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION users_sync_display_name();
UPDATE users SET display_name = username WHERE id BETWEEN 1 AND 10000;
