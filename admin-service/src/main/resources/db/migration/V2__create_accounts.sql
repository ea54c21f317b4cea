-- The accounts admin-service knows (a read model of identity-service's users): written when admin-service creates
-- or finds an account through identity-service, so that lists can show e-mails and names without a call per row.
CREATE TABLE account (
    id            BIGINT       PRIMARY KEY,
    email         VARCHAR(254) NOT NULL,
    first_name    VARCHAR(255) NOT NULL DEFAULT '',
    last_name     VARCHAR(255) NOT NULL DEFAULT '',
    user_type     VARCHAR(20)  CHECK (user_type IN ('practitioner', 'patient')),
    is_superuser  BOOLEAN      NOT NULL DEFAULT FALSE,
    last_updated  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX account_email_idx ON account (lower(email));
CREATE INDEX account_last_name_idx ON account (last_name, id);
