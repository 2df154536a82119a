DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM users WHERE normalized_email IS NULL) THEN
    UPDATE users SET normalized_email = LOWER(email);
  END IF;
END $$;
