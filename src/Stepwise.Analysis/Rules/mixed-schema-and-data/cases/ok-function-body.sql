-- the trigger function's UPDATE runs later, on writes; it is not a data change of this migration
CREATE FUNCTION sync_display_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE profiles SET display_name = NEW.username WHERE user_id = NEW.id;
  RETURN NEW;
END;
$$;
CREATE TRIGGER users_sync AFTER UPDATE ON users FOR EACH ROW EXECUTE FUNCTION sync_display_name();
