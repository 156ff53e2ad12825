-- Notifications (app/notifier.hpp, issue 7 item 2).
-- mail_notifications: which quarantined mail was notified to which
--   recipient address and when; `rqwatch notify` lists only the pairs not
--   here yet, so a second run sends nothing. Goes with its mail.
-- action_tokens_used: the one-click action tokens of the digests that were
--   used (a digest of the token, never the token), so each acts once.
CREATE TABLE mail_notifications (
    mail_id     INTEGER NOT NULL REFERENCES mails (id) ON DELETE CASCADE,
    recipient   TEXT    NOT NULL,
    notified_at INTEGER NOT NULL,
    PRIMARY KEY (mail_id, recipient)
) WITHOUT ROWID;
CREATE INDEX mail_notifications_at ON mail_notifications (notified_at);

CREATE TABLE action_tokens_used (
    token_digest TEXT    NOT NULL PRIMARY KEY,
    mail_id      INTEGER NOT NULL REFERENCES mails (id) ON DELETE CASCADE,
    used_at      INTEGER NOT NULL
) WITHOUT ROWID;
