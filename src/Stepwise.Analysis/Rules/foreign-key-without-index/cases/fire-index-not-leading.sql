-- expect: 1
-- the composite primary key covers team_id, not user_id
CREATE TABLE team_members (
  team_id bigint NOT NULL REFERENCES teams (id),
  user_id bigint NOT NULL REFERENCES users (id),
  PRIMARY KEY (team_id, user_id)
);
