-- BAD: code may still use the table; data is gone
DROP TABLE orders;
