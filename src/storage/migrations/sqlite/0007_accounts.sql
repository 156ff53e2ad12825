-- Accounts (issue 4): the users' further columns, their aliases, server-side
-- login sessions and the audit log.
-- admin_domains: the recipient domains a domain admin manages, lower case,
--   joined with ',' ('' for everybody else; storage/user_row.cpp).
-- provider: where the password is checked (core/user.hpp AuthProvider:
--   0 local, 1 LDAP, 2 OIDC).
ALTER TABLE users ADD COLUMN first_name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN last_name TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN admin_domains TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN notifications_disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN provider INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
UPDATE users SET updated_at = created_at;

-- Further addresses of a user (normalised like mail_recipients.recipient);
-- the index on alias finds the users whose scope holds an address.
CREATE TABLE user_aliases (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    alias      TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (user_id, alias)
);
CREATE INDEX user_aliases_alias ON user_aliases (alias, user_id);

-- session_key is a hash of the cookie's session id ("key" is reserved in
-- MariaDB). A session goes with its user and with the admin behind a
-- "login as" (impersonator_id). The indexes serve "log out everywhere" and
-- the expiry sweep (idle, absolute).
CREATE TABLE sessions (
    session_key     TEXT    NOT NULL PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    impersonator_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    csrf_token      TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    last_seen       INTEGER NOT NULL,
    ip              TEXT    NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_impersonator_id ON sessions (impersonator_id);
CREATE INDEX sessions_last_seen ON sessions (last_seen);
CREATE INDEX sessions_created_at ON sessions (created_at);

-- Logins and state changes. No foreign key: the log outlives the users it
-- names (actor keeps the username).
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           INTEGER NOT NULL,
    actor        TEXT    NOT NULL DEFAULT '',
    actor_id     INTEGER,
    on_behalf_of TEXT    NOT NULL DEFAULT '',
    ip           TEXT    NOT NULL DEFAULT '',
    action       TEXT    NOT NULL DEFAULT '',
    target       TEXT    NOT NULL DEFAULT '',
    detail       TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
