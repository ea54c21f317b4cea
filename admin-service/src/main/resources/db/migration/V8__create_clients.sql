-- The OAuth clients of identity-service that admin-service links to studies and data sources (a read model of
-- identity's clients, keyed by identity's client id number), practitioners' automation clients, and invitations.
CREATE TABLE oauth_client (
    id              BIGINT       PRIMARY KEY,
    client_id       VARCHAR(100) NOT NULL,
    name            VARCHAR(255) NOT NULL,
    kind            VARCHAR(20)  NOT NULL CHECK (kind IN ('patient', 'practitioner')),
    invitation_url  TEXT,
    last_updated    TIMESTAMPTZ  NOT NULL DEFAULT now()
);

CREATE SEQUENCE study_client_seq START WITH 1 INCREMENT BY 1;
CREATE TABLE study_client (
    id         BIGINT PRIMARY KEY DEFAULT nextval('study_client_seq'),
    study_id   BIGINT NOT NULL REFERENCES study (id) ON DELETE CASCADE,
    client_id  BIGINT NOT NULL REFERENCES oauth_client (id) ON DELETE CASCADE,
    CONSTRAINT study_client_unique UNIQUE (study_id, client_id)
);
ALTER SEQUENCE study_client_seq OWNED BY study_client.id;

CREATE SEQUENCE client_data_source_seq START WITH 1 INCREMENT BY 1;
CREATE TABLE client_data_source (
    id              BIGINT PRIMARY KEY DEFAULT nextval('client_data_source_seq'),
    client_id       BIGINT NOT NULL REFERENCES oauth_client (id) ON DELETE CASCADE,
    data_source_id  BIGINT NOT NULL REFERENCES data_source (id) ON DELETE CASCADE,
    CONSTRAINT client_data_source_unique UNIQUE (client_id, data_source_id)
);
ALTER SEQUENCE client_data_source_seq OWNED BY client_data_source.id;

-- A practitioner's client-credentials client; its key (base64 of client_id:secret) is shown to its owner only.
CREATE SEQUENCE practitioner_client_seq START WITH 1 INCREMENT BY 1;
CREATE TABLE practitioner_client (
    id               BIGINT       PRIMARY KEY DEFAULT nextval('practitioner_client_seq'),
    client_id        BIGINT       NOT NULL UNIQUE REFERENCES oauth_client (id) ON DELETE CASCADE,
    practitioner_id  BIGINT       NOT NULL REFERENCES practitioner (id) ON DELETE CASCADE,
    label            VARCHAR(255) NOT NULL DEFAULT '',
    name             VARCHAR(255) NOT NULL,
    api_key          TEXT         NOT NULL,
    created          TIMESTAMPTZ  NOT NULL DEFAULT now()
);
ALTER SEQUENCE practitioner_client_seq OWNED BY practitioner_client.id;
CREATE INDEX practitioner_client_owner_idx ON practitioner_client (practitioner_id);

-- Patient invitations: only the SHA-256 of the one-time token is stored.
CREATE SEQUENCE patient_invitation_seq START WITH 101 INCREMENT BY 1;
CREATE TABLE patient_invitation (
    id            BIGINT      PRIMARY KEY DEFAULT nextval('patient_invitation_seq'),
    patient_id    BIGINT      NOT NULL REFERENCES patient (id) ON DELETE CASCADE,
    client_id     BIGINT      NOT NULL REFERENCES oauth_client (id) ON DELETE CASCADE,
    token_hash    VARCHAR(43) NOT NULL UNIQUE,
    status        VARCHAR(20) NOT NULL CHECK (status IN ('issued', 'reissued', 'redeemed', 'cancelled', 'expired')),
    created       TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_updated  TIMESTAMPTZ NOT NULL DEFAULT now()
);
ALTER SEQUENCE patient_invitation_seq OWNED BY patient_invitation.id;
CREATE INDEX patient_invitation_patient_idx ON patient_invitation (patient_id, client_id);
