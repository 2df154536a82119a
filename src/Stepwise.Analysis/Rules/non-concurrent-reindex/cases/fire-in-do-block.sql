DO $$
BEGIN
  REINDEX TABLE orders;
END
$$;
