-- Accounts: practitioners, patients and administrators. Ids follow the original's sequence (first id 10001).
CREATE SEQUENCE jhe_user_seq START WITH 10001 INCREMENT BY 1;

CREATE TABLE jhe_user (
    id              BIGINT       PRIMARY KEY DEFAULT nextval('jhe_user_seq'),
    email           VARCHAR(254) NOT NULL,
    email_verified  BOOLEAN      NOT NULL DEFAULT FALSE,
    password_hash   VARCHAR(255),
    first_name      VARCHAR(150) NOT NULL DEFAULT '',
    last_name       VARCHAR(150) NOT NULL DEFAULT '',
    user_type       VARCHAR(20)  CHECK (user_type IN ('practitioner', 'patient')),
    is_superuser    BOOLEAN      NOT NULL DEFAULT FALSE,
    is_active       BOOLEAN      NOT NULL DEFAULT TRUE,
    identifier      VARCHAR(255) NOT NULL DEFAULT '',
    date_joined     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_login      TIMESTAMPTZ
);
ALTER SEQUENCE jhe_user_seq OWNED BY jhe_user.id;

-- e-mail addresses are unique whatever their case
CREATE UNIQUE INDEX jhe_user_email_lower_key ON jhe_user (lower(email));
