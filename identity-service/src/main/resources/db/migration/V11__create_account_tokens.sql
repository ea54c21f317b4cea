-- One-time tokens e-mailed to a person so that they can act on their account without signing in: the activation of
-- an account created without a password (a purpose such as 'password_reset' is added to the check when it exists).
-- Only the SHA-256 of a token is stored (VARCHAR: compared with the service's text without a cast, see V8). A token
-- is used at most once (used_at, set by one conditional UPDATE), and issuing a new one for an account and purpose
-- ends its unused ones.
CREATE TABLE account_token (
    token_hash   VARCHAR(64)  PRIMARY KEY,
    user_id      BIGINT       NOT NULL REFERENCES jhe_user (id) ON DELETE CASCADE,
    purpose      VARCHAR(20)  NOT NULL,
    created_at   TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ  NOT NULL,
    used_at      TIMESTAMPTZ,
    CONSTRAINT account_token_purpose_check CHECK (purpose IN ('activation'))
);
-- a new token ends the account's unused tokens of its purpose, and the account's deletion cascades: both by user_id
CREATE INDEX account_token_user_idx ON account_token (user_id, purpose);
-- expired tokens are forgotten by a periodic job
CREATE INDEX account_token_expires_idx ON account_token (expires_at);
-- The runtime role reads and writes its rows through the default privileges of V1, as every table of the schema.
