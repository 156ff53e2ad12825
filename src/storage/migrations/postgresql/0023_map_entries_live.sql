-- What Rspamd downloads, read from an index alone (MapRepo::EachLiveEntry):
-- a map's entries in id order with every column the body and its filter
-- need, so that building a 100,000-entry body can be an index-only scan. It
-- starts with (map_id, id), so it replaces map_entries_order of 0022.
DROP INDEX map_entries_order;
CREATE INDEX map_entries_live ON map_entries (map_id, id) INCLUDE (enabled, expires_at, value, rcpt);
