-- Initial schema (MariaDB/MySQL), the same tables, columns and indexes as
-- migrations/sqlite/0001_initial.sql. utf8mb4_bin: byte-wise comparison like
-- SQLite and PostgreSQL, so that '=' and uniqueness mean the same on every
-- engine. Indexed text is VARCHAR (InnoDB keys are at most 3072 bytes);
-- the repositories cut values to these sizes on every engine
-- (storage/column_limits.hpp). MEDIUMTEXT where a mail can carry more than
-- TEXT's 64 KiB.

CREATE TABLE mails (
    id               BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    spool_id         VARCHAR(64)  NOT NULL UNIQUE,
    received_at      BIGINT       NOT NULL,
    server           VARCHAR(255) NOT NULL DEFAULT '',
    qid              VARCHAR(255) NOT NULL DEFAULT '',
    action           VARCHAR(64)  NOT NULL DEFAULT '',
    score            DOUBLE       NOT NULL DEFAULT 0,
    ip               VARCHAR(64)  NOT NULL DEFAULT '',
    mail_from        VARCHAR(512) NOT NULL DEFAULT '',
    rcpt_to          MEDIUMTEXT   NOT NULL DEFAULT '',
    auth_user        VARCHAR(255) NOT NULL DEFAULT '',
    rspamd_server    VARCHAR(255) NOT NULL DEFAULT '',
    scan_time_ms     BIGINT       NOT NULL DEFAULT -1,
    symbols_json     MEDIUMTEXT   NOT NULL DEFAULT '[]',
    fuzzy_json       MEDIUMTEXT   NOT NULL DEFAULT '[]',
    subject          TEXT         NOT NULL DEFAULT '',
    mime_from        TEXT         NOT NULL DEFAULT '',
    mime_from_addr   VARCHAR(512) NOT NULL DEFAULT '',
    mime_to_json     MEDIUMTEXT   NOT NULL DEFAULT '[]',
    mime_cc_json     MEDIUMTEXT   NOT NULL DEFAULT '[]',
    message_id       VARCHAR(512) NOT NULL DEFAULT '',
    mail_date        BIGINT,
    size             BIGINT       NOT NULL DEFAULT 0,
    headers          MEDIUMTEXT   NOT NULL DEFAULT '',
    attachments_json MEDIUMTEXT   NOT NULL DEFAULT '[]',
    has_virus        SMALLINT     NOT NULL DEFAULT 0,
    virus            VARCHAR(255) NOT NULL DEFAULT '',
    stored           SMALLINT     NOT NULL DEFAULT 0,
    quarantine_path  VARCHAR(512) NOT NULL DEFAULT '',
    notified         SMALLINT     NOT NULL DEFAULT 0,
    notify_date      BIGINT,
    released         SMALLINT     NOT NULL DEFAULT 0,
    release_date     BIGINT
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE INDEX mails_received_at ON mails (received_at);
CREATE INDEX mails_qid ON mails (qid);
CREATE INDEX mails_message_id ON mails (message_id);
CREATE INDEX mails_action ON mails (action);
CREATE INDEX mails_mail_from ON mails (mail_from);
CREATE INDEX mails_has_virus ON mails (has_virus);
CREATE INDEX mails_stored_received_at ON mails (stored, received_at);

CREATE TABLE mail_recipients (
    mail_id   BIGINT       NOT NULL,
    recipient VARCHAR(512) NOT NULL,
    PRIMARY KEY (mail_id, recipient),
    FOREIGN KEY (mail_id) REFERENCES mails (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE INDEX mail_recipients_recipient ON mail_recipients (recipient, mail_id);

CREATE TABLE mail_symbols (
    mail_id BIGINT       NOT NULL,
    name    VARCHAR(255) NOT NULL,
    score   DOUBLE       NOT NULL,
    PRIMARY KEY (mail_id, name),
    FOREIGN KEY (mail_id) REFERENCES mails (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE INDEX mail_symbols_name ON mail_symbols (name, mail_id);

CREATE TABLE users (
    id            BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    username      VARCHAR(255) NOT NULL UNIQUE,
    email         VARCHAR(512) NOT NULL DEFAULT '',
    is_admin      SMALLINT     NOT NULL DEFAULT 0,
    password_hash VARCHAR(512) NOT NULL DEFAULT '',
    created_at    BIGINT       NOT NULL,
    last_login    BIGINT
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
