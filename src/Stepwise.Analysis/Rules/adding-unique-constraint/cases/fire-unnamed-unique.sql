  ALTER TABLE memberships ADD UNIQUE (team_id, user_id);
