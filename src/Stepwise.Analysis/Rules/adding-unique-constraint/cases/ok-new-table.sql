CREATE TABLE team_members (team_id bigint NOT NULL, user_id bigint NOT NULL);
ALTER TABLE team_members ADD PRIMARY KEY (team_id, user_id);
ALTER TABLE team_members ADD CONSTRAINT team_members_user_key UNIQUE (user_id);
