-- Allow/block maps that Rspamd polls (issue 6; app/map_editor.hpp,
-- app/map_publisher.hpp, storage/sql_map_repo.cpp).
-- maps.scope: basic, combined, personal or custom (core/map_kind.hpp);
--   field: the first column's MapField name ("email", "ip", …); combined
--   and personal maps have the recipient as their second column.
-- maps.list_kind: allow, block, or custom (what Rspamd does with a hit).
-- maps.changed_at: the map's change stamp in seconds, sent as Last-Modified:
--   every change sets it to max(now, changed_at + 1) in the same transaction,
--   so it strictly increases even when several nodes share the database
--   (Rspamd's workers reload a map only when Last-Modified moves forward).
-- map_entries.value_key: hex BLAKE2b digest of value + "\n" + rcpt (the
--   values are too long for a unique index on MariaDB); unique per map.
-- owner_id: the user owning a personal entry (NULL: made by an admin).
-- created_by: NULL once that user is deleted ("deleted user").
-- expires_at, created_at, updated_at: ms since the epoch, UTC.

CREATE TABLE maps (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    scope       TEXT    NOT NULL,
    field       TEXT    NOT NULL,
    list_kind   TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    builtin     INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    changed_at  INTEGER NOT NULL,
    UNIQUE (name)
);

CREATE TABLE map_entries (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    map_id     INTEGER NOT NULL REFERENCES maps (id) ON DELETE CASCADE,
    value_key  TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    rcpt       TEXT    NOT NULL DEFAULT '',
    score      REAL    NOT NULL DEFAULT 0,
    enabled    INTEGER NOT NULL DEFAULT 1,
    comment    TEXT    NOT NULL DEFAULT '',
    expires_at INTEGER,
    owner_id   INTEGER REFERENCES users (id) ON DELETE CASCADE,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (map_id, value_key)
);

-- Expired entries leave the map: the publisher looks up the latest expiry per map.
CREATE INDEX map_entries_expiry ON map_entries (map_id, expires_at);

-- The built-in maps (reference §5, issue 6): basic, combined and personal, allow and block.
INSERT INTO maps (name, scope, field, list_kind, description, builtin, created_at, changed_at) VALUES
    ('smtp_from_allow', 'basic', 'email', 'allow', 'smtp from allow list', 1, 0, 0),
    ('smtp_from_block', 'basic', 'email', 'block', 'smtp from block list', 1, 0, 0),
    ('mime_from_allow', 'basic', 'email', 'allow', 'mime from allow list', 1, 0, 0),
    ('mime_from_block', 'basic', 'email', 'block', 'mime from block list', 1, 0, 0),
    ('rcpt_to_allow', 'basic', 'email', 'allow', 'rcpt to allow list', 1, 0, 0),
    ('rcpt_to_block', 'basic', 'email', 'block', 'rcpt to block list', 1, 0, 0),
    ('ip_allow', 'basic', 'ip', 'allow', 'ip allow list', 1, 0, 0),
    ('ip_block', 'basic', 'ip', 'block', 'ip block list', 1, 0, 0),
    ('sender_domain_allow', 'basic', 'domain', 'allow', 'sender domain allow list', 1, 0, 0),
    ('sender_domain_block', 'basic', 'domain', 'block', 'sender domain block list', 1, 0, 0),
    ('smtp_from_rcpt_allow', 'combined', 'email', 'allow', 'smtp from + recipient allow list', 1, 0, 0),
    ('smtp_from_rcpt_block', 'combined', 'email', 'block', 'smtp from + recipient block list', 1, 0, 0),
    ('mime_from_rcpt_allow', 'combined', 'email', 'allow', 'mime from + recipient allow list', 1, 0, 0),
    ('mime_from_rcpt_block', 'combined', 'email', 'block', 'mime from + recipient block list', 1, 0, 0),
    ('ip_rcpt_allow', 'combined', 'ip', 'allow', 'ip + recipient allow list', 1, 0, 0),
    ('ip_rcpt_block', 'combined', 'ip', 'block', 'ip + recipient block list', 1, 0, 0),
    ('personal_smtp_from_rcpt_allow', 'personal', 'email', 'allow', 'personal smtp from + recipient allow list', 1, 0, 0),
    ('personal_smtp_from_rcpt_block', 'personal', 'email', 'block', 'personal smtp from + recipient block list', 1, 0, 0),
    ('personal_mime_from_rcpt_allow', 'personal', 'email', 'allow', 'personal mime from + recipient allow list', 1, 0, 0),
    ('personal_mime_from_rcpt_block', 'personal', 'email', 'block', 'personal mime from + recipient block list', 1, 0, 0);
