-- Access tokens are JWTs that every service verifies on its own. This record of each one issued is what lets the
-- exchange revoke them (one token, a user's, a client's, a grant family's) and tell the other services so through
-- the compacted topic token-revocations. No foreign keys: a revoked token outlives its account until it expires.
CREATE TABLE access_token (
    jti                    UUID         PRIMARY KEY,
    user_id                BIGINT,
    client_pk              BIGINT       NOT NULL,
    -- the grant the token descends from (an authorization code and its refresh chain); null for single tokens
    family_id              UUID,
    issued_at              TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at             TIMESTAMPTZ  NOT NULL,
    revoked_at             TIMESTAMPTZ,
    -- the revocation has reached Kafka; a periodic job re-sends those that did not
    revocation_published   BOOLEAN      NOT NULL DEFAULT FALSE
);
CREATE INDEX access_token_user_idx ON access_token (user_id);
CREATE INDEX access_token_client_idx ON access_token (client_pk);
CREATE INDEX access_token_family_idx ON access_token (family_id);
CREATE INDEX access_token_expires_idx ON access_token (expires_at);
CREATE INDEX access_token_unpublished_idx ON access_token (revoked_at)
    WHERE revoked_at IS NOT NULL AND NOT revocation_published;

-- Refresh tokens are opaque random strings; only their SHA-256 is stored. Each use rotates the token: the used one
-- is marked rotated and a new one of the same family is issued. Presenting a rotated token again revokes the family.
CREATE TABLE refresh_token (
    token_hash   CHAR(64)     PRIMARY KEY,
    family_id    UUID         NOT NULL,
    client_pk    BIGINT       NOT NULL REFERENCES oauth_client (id) ON DELETE CASCADE,
    user_id      BIGINT       NOT NULL REFERENCES jhe_user (id) ON DELETE CASCADE,
    scope        VARCHAR(255) NOT NULL,
    issued_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ  NOT NULL,
    rotated_at   TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX refresh_token_family_idx ON refresh_token (family_id);
CREATE INDEX refresh_token_user_idx ON refresh_token (user_id);
CREATE INDEX refresh_token_client_idx ON refresh_token (client_pk);
CREATE INDEX refresh_token_expires_idx ON refresh_token (expires_at);
