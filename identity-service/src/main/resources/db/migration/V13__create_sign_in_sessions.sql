-- Browser sign-in sessions of the authorization endpoint: a signed-in browser is not asked for its password again
-- until the session ends (its lifetime, a sign-out, or a password change). Only the SHA-256 of the cookie's value
-- is stored: a copy of this table signs nobody in.
CREATE TABLE sign_in_session (
    token_hash   VARCHAR(64) PRIMARY KEY,
    user_id      BIGINT      NOT NULL REFERENCES jhe_user (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX sign_in_session_user_idx ON sign_in_session (user_id);
