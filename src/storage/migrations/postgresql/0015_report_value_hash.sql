-- Nothing to do here: MariaDB alone needs report_daily.value_hash to group
-- the top reports quickly (see migrations/mysql/0015_report_value_hash.sql).
SELECT 1;
