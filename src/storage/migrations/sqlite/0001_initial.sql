-- Initial schema. Times are UTC unix milliseconds unless noted.
-- schema_migrations itself is created by the migrator (storage/migrator.cpp).

CREATE TABLE mails (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    spool_id         TEXT    NOT NULL UNIQUE,
    received_at      INTEGER NOT NULL,
    server           TEXT    NOT NULL DEFAULT '',
    qid              TEXT    NOT NULL DEFAULT '',
    action           TEXT    NOT NULL DEFAULT '',
    score            REAL    NOT NULL DEFAULT 0,
    ip               TEXT    NOT NULL DEFAULT '',
    mail_from        TEXT    NOT NULL DEFAULT '',
    rcpt_to          TEXT    NOT NULL DEFAULT '',   -- recipients as sent, joined with ', '
    auth_user        TEXT    NOT NULL DEFAULT '',
    rspamd_server    TEXT    NOT NULL DEFAULT '',
    scan_time_ms     INTEGER NOT NULL DEFAULT -1,
    symbols_json     TEXT    NOT NULL DEFAULT '[]', -- [{name,score,group,groups,options}]
    fuzzy_json       TEXT    NOT NULL DEFAULT '[]',
    subject          TEXT    NOT NULL DEFAULT '',
    mime_from        TEXT    NOT NULL DEFAULT '',
    mime_from_addr   TEXT    NOT NULL DEFAULT '',
    mime_to_json     TEXT    NOT NULL DEFAULT '[]', -- [{name,address}]
    mime_cc_json     TEXT    NOT NULL DEFAULT '[]',
    message_id       TEXT    NOT NULL DEFAULT '',
    mail_date        INTEGER,                       -- Date: header, unix seconds
    size             INTEGER NOT NULL DEFAULT 0,
    headers          TEXT    NOT NULL DEFAULT '',
    attachments_json TEXT    NOT NULL DEFAULT '[]', -- [{filename,content_type,size}]
    has_virus        INTEGER NOT NULL DEFAULT 0,
    virus            TEXT    NOT NULL DEFAULT '',
    stored           INTEGER NOT NULL DEFAULT 0,
    quarantine_path  TEXT    NOT NULL DEFAULT '',
    notified         INTEGER NOT NULL DEFAULT 0,
    notify_date      INTEGER,
    released         INTEGER NOT NULL DEFAULT 0,
    release_date     INTEGER
);

CREATE INDEX mails_received_at ON mails (received_at);
CREATE INDEX mails_qid ON mails (qid);
CREATE INDEX mails_message_id ON mails (message_id);
CREATE INDEX mails_action ON mails (action);
CREATE INDEX mails_mail_from ON mails (mail_from);
CREATE INDEX mails_has_virus ON mails (has_virus);
CREATE INDEX mails_stored_received_at ON mails (stored, received_at);

-- Normalised (NormalizeAddress) envelope recipients, one row per distinct
-- address: the per-user access check and "mails for me" look up by recipient.
CREATE TABLE mail_recipients (
    mail_id   INTEGER NOT NULL REFERENCES mails (id) ON DELETE CASCADE,
    recipient TEXT    NOT NULL,
    PRIMARY KEY (mail_id, recipient)
) WITHOUT ROWID;
CREATE INDEX mail_recipients_recipient ON mail_recipients (recipient, mail_id);

-- (WITHOUT ROWID: the primary key is the only b-tree, one less to write.)

-- Symbol names for filtering by symbol; the full symbol data is in symbols_json.
CREATE TABLE mail_symbols (
    mail_id INTEGER NOT NULL REFERENCES mails (id) ON DELETE CASCADE,
    name    TEXT    NOT NULL,
    score   REAL    NOT NULL,
    PRIMARY KEY (mail_id, name)
) WITHOUT ROWID;
CREATE INDEX mail_symbols_name ON mail_symbols (name, mail_id);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT    NOT NULL UNIQUE,
    email         TEXT    NOT NULL DEFAULT '',
    is_admin      INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT    NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    last_login    INTEGER
);
