CREATE TABLE countries (code char(2) PRIMARY KEY, name text, active boolean);
INSERT INTO countries (code, name) VALUES ('FR', 'France'), ('DE', 'Germany');
UPDATE countries SET active = true;
DELETE FROM countries WHERE name IS NULL;
CREATE TEMPORARY TABLE ids_to_fix AS SELECT id FROM users WHERE email IS NULL;
DELETE FROM ids_to_fix;
