-- dialect: mysql
-- mysql-version: mariadb-10.11
CREATE TABLE user_profile (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(255) NOT NULL);
INSERT INTO user_profile (email) VALUES ('admin@example.com');
CREATE UNIQUE INDEX uq_user_profile_email ON user_profile (email);
