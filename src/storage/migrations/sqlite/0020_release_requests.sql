-- Release requests (app/release_requests.hpp, issue 7 item 3): with
-- release.user_release = "request" a user asks, an administrator approves
-- (the release happens then) or refuses, and the user is told.
--   requested_by: the user's id (NULL for a digest's one-click link, or once
--     the user is deleted); requester: the name audited ("link:ADDRESS").
--   recipients: the addresses asked for, one per line (checked against the
--     requester's scope when asked); notice_to: where the decision goes.
--   state: pending | approved | refused | cancelled.
--   open_one: 1 while pending, NULL after: the unique key allows one open
--     request per mail and requester (NULLs never collide) on every engine,
--     where a partial index would not exist on MariaDB.
CREATE TABLE release_requests (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    mail_id      INTEGER NOT NULL REFERENCES mails (id) ON DELETE CASCADE,
    requested_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    requester    TEXT    NOT NULL,
    notice_to    TEXT    NOT NULL DEFAULT '',
    recipients   TEXT    NOT NULL,
    comment      TEXT    NOT NULL DEFAULT '',
    state        TEXT    NOT NULL,
    open_one     INTEGER,
    decided_by   TEXT    NOT NULL DEFAULT '',
    decided_at   INTEGER,
    reason       TEXT    NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL
);
CREATE UNIQUE INDEX release_requests_open ON release_requests (mail_id, requester, open_one);
CREATE INDEX release_requests_state ON release_requests (state, id);
CREATE INDEX release_requests_user ON release_requests (requested_by, id);
