-- Plans that stay fast at 10 M mails on PostgreSQL (docs/benchmarks.md,
-- "10 M mails").
-- 1. The roll-ups are read by (kind, day range): with kind first the range
--    is contiguous, and the sums ride in the index, so a 30-day top report
--    is an index-only scan (top senders at 10 M: 1.3 s -> 0.3-0.6 s). The
--    upsert's ON CONFLICT (day, kind, value) still infers this key.
ALTER TABLE report_daily DROP CONSTRAINT report_daily_pkey,
    ADD PRIMARY KEY (kind, day, value) INCLUDE (mails, stored, size);
-- 2. Virus mails newest first: a btree on has_virus alone is not ordered by
--    id here (SQLite's and InnoDB's indexes end with the row id), so every
--    virus mail was read and sorted for one page (80 -> ~2 ms at 10 M).
DROP INDEX mails_has_virus;
CREATE INDEX mails_has_virus ON mails (has_virus, id);
-- 3. A rare symbol (CLAM_VIRUS, 0.007 % of 140 M rows) is missing from the
--    default 30,000-row sample, so the planner guessed a million rows and
--    merged along the whole mails key instead of starting from the symbol's
--    index (87 -> 5 ms). Rspamd has a few hundred symbol names; a 300,000-row
--    sample keeps all of them in the most-common-values list.
ALTER TABLE mail_symbols ALTER COLUMN name SET STATISTICS 1000;
ANALYZE mail_symbols;
