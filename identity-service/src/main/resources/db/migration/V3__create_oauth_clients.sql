-- OAuth 2.0 clients: apps, practitioners' automation clients, and the services themselves.
CREATE SEQUENCE oauth_client_seq START WITH 1 INCREMENT BY 1;

CREATE TABLE oauth_client (
    id                  BIGINT       PRIMARY KEY DEFAULT nextval('oauth_client_seq'),
    client_id           VARCHAR(100) NOT NULL UNIQUE,
    client_secret_hash  VARCHAR(255),
    name                VARCHAR(255) NOT NULL,
    client_type         VARCHAR(20)  NOT NULL CHECK (client_type IN ('public', 'confidential')),
    grant_types         VARCHAR(255) NOT NULL,
    redirect_uris       TEXT         NOT NULL DEFAULT '',
    skip_authorization  BOOLEAN      NOT NULL DEFAULT FALSE,
    owner_user_id       BIGINT       REFERENCES jhe_user (id) ON DELETE CASCADE,
    invitation_url      TEXT,
    created             TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT oauth_client_secret_when_confidential
        CHECK (client_type = 'public' OR client_secret_hash IS NOT NULL)
);
ALTER SEQUENCE oauth_client_seq OWNED BY oauth_client.id;

CREATE INDEX oauth_client_owner_idx ON oauth_client (owner_user_id);
