-- expect: 3
SET session_replication_role = replica;
SET LOCAL session_replication_role TO 'replica';
DO $$
BEGIN
  SET session_replication_role = 'REPLICA';
END $$;
