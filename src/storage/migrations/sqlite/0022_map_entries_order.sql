-- A map's live entries in id order (MapRepo::LiveEntries, what Rspamd
-- downloads) straight from an index: map_entries_expiry orders by expiry,
-- so a 100,000-entry map needed a sort of every row on each change (about
-- 2.5 times slower in SQLite, docs/benchmarks.md).
CREATE INDEX map_entries_order ON map_entries (map_id, id);
