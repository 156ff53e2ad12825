-- Columns search and retention need (issue 3).
-- mime_to: the To addresses, lower-case, joined with ", " (searchable text;
--   mime_to_json keeps names and addresses for display).
-- country: ISO 3166 code of the sending IP ('' unknown), from GeoIP at import.
-- purged: the quarantined file was deleted by retention; the row stays.
ALTER TABLE mails ADD COLUMN mime_to TEXT NOT NULL DEFAULT '';
ALTER TABLE mails ADD COLUMN country TEXT NOT NULL DEFAULT '';
ALTER TABLE mails ADD COLUMN purged INTEGER NOT NULL DEFAULT 0;
