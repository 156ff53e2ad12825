-- What was done with a quarantined mail (app/mail_release.hpp, learning):
-- one row per attempt, kept with the failures so that the detail view shows
-- what happened; mails.released / release_date say only whether a copy was
-- delivered. Rows go with their mail (ON DELETE CASCADE).
-- mail_releases: one row per recipient (one SMTP transaction each).
--   mode: "original" or "attachment"; ok: 1 delivered, 0 refused or failed;
--   result: the relay's answer or the failure.
CREATE TABLE mail_releases (
    id          BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    mail_id     BIGINT       NOT NULL,
    released_at BIGINT       NOT NULL,
    released_by VARCHAR(255) NOT NULL,
    recipient   VARCHAR(320) NOT NULL,
    mode        VARCHAR(16)  NOT NULL,
    ok          SMALLINT     NOT NULL,
    result      VARCHAR(512) NOT NULL DEFAULT '',
    FOREIGN KEY (mail_id) REFERENCES mails (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE INDEX mail_releases_mail ON mail_releases (mail_id, id);

-- mail_learns: one row per learn request to a node's Rspamd controller.
--   learned_as: "spam" or "ham"; node: the controller asked.
CREATE TABLE mail_learns (
    id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    mail_id    BIGINT       NOT NULL,
    learned_at BIGINT       NOT NULL,
    learned_by VARCHAR(255) NOT NULL,
    learned_as VARCHAR(8)   NOT NULL,
    node       VARCHAR(255) NOT NULL DEFAULT '',
    ok         SMALLINT     NOT NULL,
    result     VARCHAR(512) NOT NULL DEFAULT '',
    FOREIGN KEY (mail_id) REFERENCES mails (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE INDEX mail_learns_mail ON mail_learns (mail_id, id);
