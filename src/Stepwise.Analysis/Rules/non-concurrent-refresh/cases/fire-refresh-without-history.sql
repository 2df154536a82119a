-- expect: 2
REFRESH MATERIALIZED VIEW reporting.daily_sales;
refresh materialized view daily_sales with data;
