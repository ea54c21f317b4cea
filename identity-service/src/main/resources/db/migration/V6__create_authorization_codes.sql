-- Authorization codes (RFC 6749 §4.1), from the login page or issued for patient invitations. Only the SHA-256 of
-- the code is stored. A code is single use: a second use revokes every token of its family (RFC 6749 §4.1.2).
-- PKCE (RFC 7636) is required for every code, with S256 only.
CREATE TABLE authorization_code (
    code_hash              CHAR(64)     PRIMARY KEY,
    client_pk              BIGINT       NOT NULL REFERENCES oauth_client (id) ON DELETE CASCADE,
    user_id                BIGINT       NOT NULL REFERENCES jhe_user (id) ON DELETE CASCADE,
    -- the redirect_uri the token request must repeat (RFC 6749 §4.1.3); null when none was bound to the code
    redirect_uri           TEXT,
    scope                  VARCHAR(255) NOT NULL,
    code_challenge         VARCHAR(128) NOT NULL,
    code_challenge_method  VARCHAR(10)  NOT NULL CHECK (code_challenge_method = 'S256'),
    nonce                  VARCHAR(255),
    family_id              UUID         NOT NULL,
    issued_at              TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at             TIMESTAMPTZ  NOT NULL,
    used_at                TIMESTAMPTZ
);
CREATE INDEX authorization_code_user_idx ON authorization_code (user_id);
CREATE INDEX authorization_code_expires_idx ON authorization_code (expires_at);
