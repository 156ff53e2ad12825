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
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    mail_id      BIGINT       NOT NULL,
    requested_by BIGINT       NULL,
    requester    VARCHAR(255) NOT NULL,
    notice_to    VARCHAR(320) NOT NULL DEFAULT '',
    recipients   TEXT         NOT NULL,
    comment      TEXT         NOT NULL,
    state        VARCHAR(16)  NOT NULL,
    open_one     SMALLINT     NULL,
    decided_by   VARCHAR(255) NOT NULL DEFAULT '',
    decided_at   BIGINT       NULL,
    reason       TEXT         NOT NULL,
    created_at   BIGINT       NOT NULL,
    FOREIGN KEY (mail_id) REFERENCES mails (id) ON DELETE CASCADE,
    FOREIGN KEY (requested_by) REFERENCES users (id) ON DELETE SET NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE UNIQUE INDEX release_requests_open ON release_requests (mail_id, requester, open_one);
CREATE INDEX release_requests_state ON release_requests (state, id);
CREATE INDEX release_requests_user ON release_requests (requested_by, id);
