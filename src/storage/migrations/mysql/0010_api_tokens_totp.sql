-- Personal API tokens and the TOTP second factor (app/api_tokens.hpp,
-- app/second_factor.hpp). Both go with their user (ON DELETE CASCADE).
-- api_tokens.token_digest: the hex BLAKE2b-256 digest of the secret (never the
--   secret); unique, since a Bearer request finds its token by it.
-- api_tokens.prefix: the secret's first characters, shown to recognise it.
-- name: unique per user, it names the token in the audit log.
CREATE TABLE api_tokens (
    id           BIGINT       NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id      BIGINT       NOT NULL,
    name         VARCHAR(255) NOT NULL,
    prefix       VARCHAR(64)  NOT NULL,
    token_digest VARCHAR(128) NOT NULL,
    created_at   BIGINT       NOT NULL,
    last_used_at BIGINT,
    expires_at   BIGINT,
    UNIQUE (token_digest),
    UNIQUE (user_id, name),
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- user_totp.secret: the TOTP key in base32. It must be readable to check
--   codes, so whoever reads this table can compute a user's codes.
-- confirmed_at: NULL while pending (enrolled, no code shown yet).
-- last_step: the time step of the last accepted code (no code counts twice).
CREATE TABLE user_totp (
    user_id      BIGINT       NOT NULL PRIMARY KEY,
    secret       VARCHAR(128) NOT NULL,
    created_at   BIGINT       NOT NULL,
    confirmed_at BIGINT,
    last_step    BIGINT       NOT NULL DEFAULT 0,
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
