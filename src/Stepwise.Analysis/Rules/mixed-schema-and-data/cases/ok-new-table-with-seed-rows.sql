CREATE TABLE countries (code char(2) PRIMARY KEY, name text NOT NULL, active boolean);
INSERT INTO countries (code, name) VALUES ('FR', 'France'), ('DE', 'Germany');
UPDATE countries SET active = true;
