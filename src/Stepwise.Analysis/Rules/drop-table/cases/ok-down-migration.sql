-- down
-- migration: 0003_create_user_profile
CREATE TABLE user_profile (id serial PRIMARY KEY, email varchar(255) NOT NULL UNIQUE);
-- migration: 0003_create_user_profile.down
DROP TABLE user_profile;
