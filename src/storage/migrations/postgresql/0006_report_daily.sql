-- Daily roll-ups for the top reports that group many rows (senders,
-- recipients, symbols, domains): a 30-day report then reads ~30 x (distinct
-- values) rows instead of every mail and child row of the window (top
-- symbols over 30 days of 1 M mails: 2.3 s on SQLite). Maintained at import
-- for newly inserted mails only (a replayed batch adds nothing), deleted
-- with the mails by purge. kind: 1 mail_from, 2 rcpt_to, 3 symbol,
-- 4 rcpt_to_domain, 5 mail_from_domain (storage/report_rollup.hpp).
CREATE TABLE report_daily (
    day    INTEGER  NOT NULL,
    kind   SMALLINT NOT NULL,
    value  TEXT NOT NULL,
    mails  BIGINT   NOT NULL DEFAULT 0,
    stored BIGINT   NOT NULL DEFAULT 0,
    size   BIGINT   NOT NULL DEFAULT 0,
    PRIMARY KEY (day, kind, value)
);
INSERT INTO report_daily (day, kind, value, mails, stored, size)
    SELECT received_day, 1, mail_from, COUNT(*), SUM(stored), SUM(size) FROM mails GROUP BY received_day, mail_from;
INSERT INTO report_daily (day, kind, value, mails, stored, size)
    SELECT m.received_day, 2, r.recipient, COUNT(*), SUM(m.stored), SUM(m.size) FROM mails m JOIN mail_recipients r ON r.mail_id = m.id GROUP BY m.received_day, r.recipient;
INSERT INTO report_daily (day, kind, value, mails, stored, size)
    SELECT m.received_day, 3, s.name, COUNT(*), SUM(m.stored), SUM(m.size) FROM mails m JOIN mail_symbols s ON s.mail_id = m.id GROUP BY m.received_day, s.name;
INSERT INTO report_daily (day, kind, value, mails, stored, size)
    SELECT m.received_day, 4, r.domain, COUNT(*), SUM(m.stored), SUM(m.size) FROM mails m JOIN mail_recipients r ON r.mail_id = m.id GROUP BY m.received_day, r.domain;
INSERT INTO report_daily (day, kind, value, mails, stored, size)
    SELECT received_day, 5, mail_from_domain, COUNT(*), SUM(stored), SUM(size) FROM mails GROUP BY received_day, mail_from_domain;
