-- What was done with a quarantined mail (app/mail_release.hpp, learning):
-- one row per attempt, kept with the failures so that the detail view shows
-- what happened; mails.released / release_date say only whether a copy was
-- delivered. Rows go with their mail (ON DELETE CASCADE).
-- mail_releases: one row per recipient (one SMTP transaction each).
--   mode: "original" or "attachment"; ok: 1 delivered, 0 refused or failed;
--   result: the relay's answer or the failure.
CREATE TABLE mail_releases (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    mail_id     INTEGER NOT NULL REFERENCES mails (id) ON DELETE CASCADE,
    released_at INTEGER NOT NULL,
    released_by TEXT    NOT NULL,
    recipient   TEXT    NOT NULL,
    mode        TEXT    NOT NULL,
    ok          INTEGER NOT NULL,
    result      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX mail_releases_mail ON mail_releases (mail_id, id);

-- mail_learns: one row per learn request to a node's Rspamd controller.
--   learned_as: "spam" or "ham"; node: the controller asked.
CREATE TABLE mail_learns (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    mail_id    INTEGER NOT NULL REFERENCES mails (id) ON DELETE CASCADE,
    learned_at INTEGER NOT NULL,
    learned_by TEXT    NOT NULL,
    learned_as TEXT    NOT NULL,
    node       TEXT    NOT NULL DEFAULT '',
    ok         INTEGER NOT NULL,
    result     TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX mail_learns_mail ON mail_learns (mail_id, id);
