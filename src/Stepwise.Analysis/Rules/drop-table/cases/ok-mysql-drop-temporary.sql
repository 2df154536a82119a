-- dialect: mysql
DROP TEMPORARY TABLE IF EXISTS tmp_ids;
