-- Accounts (issue 4): the users' further columns, their aliases, server-side
-- login sessions and the audit log. VARCHAR sizes are those of
-- storage/column_limits.hpp (kShort 255, kAddress 512, kIp 64, kAction 64,
-- kToken 128); TEXT holds up to kText characters.
-- admin_domains: the recipient domains a domain admin manages, lower case,
--   joined with ',' ('' for everybody else; storage/user_row.cpp).
-- provider: where the password is checked (core/user.hpp AuthProvider:
--   0 local, 1 LDAP, 2 OIDC).
ALTER TABLE users ADD COLUMN first_name VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN last_name VARCHAR(255) NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN admin_domains TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN notifications_disabled SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN provider SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN updated_at BIGINT NOT NULL DEFAULT 0;
UPDATE users SET updated_at = created_at;

-- Further addresses of a user (normalised like mail_recipients.recipient);
-- the index on alias finds the users whose scope holds an address.
CREATE TABLE user_aliases (
    id         BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id    BIGINT       NOT NULL,
    alias      VARCHAR(512) NOT NULL,
    created_at BIGINT       NOT NULL,
    updated_at BIGINT       NOT NULL,
    UNIQUE (user_id, alias),
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE INDEX user_aliases_alias ON user_aliases (alias, user_id);

-- session_key is a hash of the cookie's session id ("key" is reserved in
-- MariaDB). A session goes with its user and with the admin behind a
-- "login as" (impersonator_id). The indexes serve "log out everywhere" and
-- the expiry sweep (idle, absolute).
CREATE TABLE sessions (
    session_key     VARCHAR(128) NOT NULL PRIMARY KEY,
    user_id         BIGINT       NOT NULL,
    impersonator_id BIGINT,
    csrf_token      VARCHAR(128) NOT NULL,
    created_at      BIGINT       NOT NULL,
    last_seen       BIGINT       NOT NULL,
    ip              VARCHAR(64)  NOT NULL DEFAULT '',
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
    FOREIGN KEY (impersonator_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE INDEX sessions_user_id ON sessions (user_id);
CREATE INDEX sessions_impersonator_id ON sessions (impersonator_id);
CREATE INDEX sessions_last_seen ON sessions (last_seen);
CREATE INDEX sessions_created_at ON sessions (created_at);

-- Logins and state changes. No foreign key: the log outlives the users it
-- names (actor keeps the username).
CREATE TABLE audit_log (
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    at           BIGINT       NOT NULL,
    actor        VARCHAR(255) NOT NULL DEFAULT '',
    actor_id     BIGINT,
    on_behalf_of VARCHAR(255) NOT NULL DEFAULT '',
    ip           VARCHAR(64)  NOT NULL DEFAULT '',
    action       VARCHAR(64)  NOT NULL DEFAULT '',
    target       VARCHAR(255) NOT NULL DEFAULT '',
    detail       TEXT         NOT NULL DEFAULT ''
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE INDEX audit_log_at ON audit_log (at);
