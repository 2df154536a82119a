-- dialect: mysql
-- expect: 2
ALTER TABLE events ADD PRIMARY KEY (id);
ALTER TABLE logs DROP PRIMARY KEY;
