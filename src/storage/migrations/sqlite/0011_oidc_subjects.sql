-- Which account at the OpenID provider an rqwatch user is (app/oidc_login.hpp):
-- the ID token's `sub`, which the provider never reuses nor lets users change,
-- bound at the first single sign-on. A later login under the same user name
-- but another subject is refused. Goes with its user (ON DELETE CASCADE).
CREATE TABLE oidc_subjects (
    user_id  INTEGER NOT NULL PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    subject  TEXT    NOT NULL,
    bound_at INTEGER NOT NULL,
    UNIQUE (subject)
);
