-- Per-user notification frequency and time zone (issue 7 item 2,
-- core/notify_schedule.hpp).
-- users.notify_frequency: immediate | hourly | daily | weekly; '' = the
--   config's notify.default_frequency. notify_hour: the local hour (0-23)
--   of daily and weekly digests; -1 = notify.default_hour. time_zone: an
--   IANA name; '' = notify.default_time_zone.
-- notify_recipients: when each recipient address was last sent a digest,
--   what hourly, daily and weekly schedules count from. Keyed by address,
--   not user: addresses without an account get digests too.
ALTER TABLE users ADD COLUMN notify_frequency TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN notify_hour INTEGER NOT NULL DEFAULT -1;
ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';

CREATE TABLE notify_recipients (
    address      TEXT NOT NULL PRIMARY KEY,
    last_sent_at INTEGER NOT NULL
) WITHOUT ROWID;
