-- Personal API tokens and the TOTP second factor (app/api_tokens.hpp,
-- app/second_factor.hpp). Both go with their user (ON DELETE CASCADE).
-- api_tokens.token_digest: the hex BLAKE2b-256 digest of the secret (never the
--   secret); unique, since a Bearer request finds its token by it.
-- api_tokens.prefix: the secret's first characters, shown to recognise it.
-- name: unique per user, it names the token in the audit log.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    prefix       TEXT    NOT NULL,
    token_digest TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    expires_at   INTEGER,
    UNIQUE (token_digest),
    UNIQUE (user_id, name)
);

-- user_totp.secret: the TOTP key in base32. It must be readable to check
--   codes, so whoever reads this table can compute a user's codes.
-- confirmed_at: NULL while pending (enrolled, no code shown yet).
-- last_step: the time step of the last accepted code (no code counts twice).
CREATE TABLE user_totp (
    user_id      INTEGER NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret       TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    confirmed_at INTEGER,
    last_step    INTEGER NOT NULL DEFAULT 0
);
