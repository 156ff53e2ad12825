-- Which account at the OpenID provider an rqwatch user is (app/oidc_login.hpp):
-- the ID token's `sub`, which the provider never reuses nor lets users change,
-- bound at the first single sign-on. A later login under the same user name
-- but another subject is refused. Goes with its user (ON DELETE CASCADE).
CREATE TABLE oidc_subjects (
    user_id  BIGINT       NOT NULL PRIMARY KEY,
    subject  VARCHAR(255) NOT NULL,
    bound_at BIGINT       NOT NULL,
    UNIQUE (subject),
    FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
