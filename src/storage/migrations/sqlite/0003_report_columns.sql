-- Columns the statistics and top reports group by (issue 3), filled at
-- import so that reports need no per-dialect string functions and can use
-- indexes: the UTC day of arrival (days since 1970-01-01) and the domains
-- of the sender addresses and of each recipient (DomainOf in core/mail.cpp).
ALTER TABLE mails ADD COLUMN received_day INTEGER NOT NULL DEFAULT 0;
ALTER TABLE mails ADD COLUMN mail_from_domain TEXT NOT NULL DEFAULT '';
ALTER TABLE mails ADD COLUMN mime_from_domain TEXT NOT NULL DEFAULT '';
ALTER TABLE mails ADD COLUMN mime_to_domain TEXT NOT NULL DEFAULT '';
ALTER TABLE mail_recipients ADD COLUMN domain TEXT NOT NULL DEFAULT '';
UPDATE mails SET received_day = received_at / 86400000;
CREATE INDEX mails_day_stored ON mails (received_day, stored);
CREATE INDEX mails_stored_day ON mails (stored, purged, received_day);
