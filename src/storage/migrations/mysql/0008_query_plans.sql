-- The roll-ups are read by (kind, day range): with kind first the range is
-- contiguous in the clustered key, which holds the sums (PostgreSQL's 0008
-- has the measurements). The upsert's ON DUPLICATE KEY is unaffected.
ALTER TABLE report_daily DROP PRIMARY KEY, ADD PRIMARY KEY (kind, day, value);
