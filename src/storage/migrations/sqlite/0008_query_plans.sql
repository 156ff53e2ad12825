-- The roll-ups are read by (kind, day range): with kind first the range is
-- contiguous in the table's key, which holds the sums (PostgreSQL's 0008 has
-- the measurements). SQLite cannot change a primary key in place.
CREATE TABLE report_daily_by_kind (
    day    INTEGER  NOT NULL,
    kind   SMALLINT NOT NULL,
    value  TEXT NOT NULL,
    mails  BIGINT   NOT NULL DEFAULT 0,
    stored BIGINT   NOT NULL DEFAULT 0,
    size   BIGINT   NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, day, value)
) WITHOUT ROWID;
INSERT INTO report_daily_by_kind (day, kind, value, mails, stored, size)
    SELECT day, kind, value, mails, stored, size FROM report_daily;
DROP TABLE report_daily;
ALTER TABLE report_daily_by_kind RENAME TO report_daily;
