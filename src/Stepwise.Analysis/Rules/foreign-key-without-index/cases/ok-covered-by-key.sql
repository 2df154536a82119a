CREATE TABLE team_members (
  team_id bigint NOT NULL REFERENCES teams (id),
  user_id bigint NOT NULL,
  PRIMARY KEY (team_id, user_id),
  CONSTRAINT team_members_user_fk FOREIGN KEY (user_id, team_id) REFERENCES memberships (user_id, team_id)
);
CREATE TABLE profiles (user_id bigint PRIMARY KEY REFERENCES users (id), bio text);
CREATE TABLE api_keys (id bigint PRIMARY KEY, owner_id bigint UNIQUE REFERENCES users (id));
