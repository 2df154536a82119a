-- a function body runs when it is called, not during the migration
CREATE OR REPLACE FUNCTION reset_flags() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE users SET flagged = false;
END;
$$;
