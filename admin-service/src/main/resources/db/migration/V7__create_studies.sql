-- Studies of an organization: the data types they request, the data sources and apps they use, the enrolled
-- patients and each patient's consent per requested data type.
CREATE SEQUENCE study_seq START WITH 30001 INCREMENT BY 1;
CREATE TABLE study (
    id               BIGINT       PRIMARY KEY DEFAULT nextval('study_seq'),
    name             VARCHAR(255) NOT NULL,
    description      TEXT         NOT NULL,
    organization_id  BIGINT       NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    icon_url         TEXT,
    last_updated     TIMESTAMPTZ  NOT NULL DEFAULT now()
);
ALTER SEQUENCE study_seq OWNED BY study.id;
CREATE INDEX study_organization_idx ON study (organization_id);

CREATE SEQUENCE study_scope_request_seq START WITH 1 INCREMENT BY 1;
CREATE TABLE study_scope_request (
    id             BIGINT     PRIMARY KEY DEFAULT nextval('study_scope_request_seq'),
    study_id       BIGINT     NOT NULL REFERENCES study (id) ON DELETE CASCADE,
    scope_code_id  BIGINT     NOT NULL REFERENCES codeable_concept (id) ON DELETE RESTRICT,
    scope_actions  VARCHAR(8) NOT NULL DEFAULT 'rs',
    CONSTRAINT study_scope_request_unique UNIQUE (study_id, scope_code_id)
);
ALTER SEQUENCE study_scope_request_seq OWNED BY study_scope_request.id;

CREATE SEQUENCE study_patient_seq START WITH 1 INCREMENT BY 1;
CREATE TABLE study_patient (
    id          BIGINT PRIMARY KEY DEFAULT nextval('study_patient_seq'),
    study_id    BIGINT NOT NULL REFERENCES study (id) ON DELETE CASCADE,
    patient_id  BIGINT NOT NULL REFERENCES patient (id) ON DELETE CASCADE,
    CONSTRAINT study_patient_unique UNIQUE (study_id, patient_id)
);
ALTER SEQUENCE study_patient_seq OWNED BY study_patient.id;
CREATE INDEX study_patient_patient_idx ON study_patient (patient_id);

CREATE SEQUENCE study_patient_scope_consent_seq START WITH 1 INCREMENT BY 1;
CREATE TABLE study_patient_scope_consent (
    id                BIGINT      PRIMARY KEY DEFAULT nextval('study_patient_scope_consent_seq'),
    study_patient_id  BIGINT      NOT NULL REFERENCES study_patient (id) ON DELETE CASCADE,
    scope_code_id     BIGINT      NOT NULL REFERENCES codeable_concept (id) ON DELETE RESTRICT,
    scope_actions     VARCHAR(8)  NOT NULL DEFAULT 'rs',
    consented         BOOLEAN     NOT NULL,
    consented_time    TIMESTAMPTZ NOT NULL,
    CONSTRAINT study_patient_scope_consent_unique UNIQUE (study_patient_id, scope_code_id)
);
ALTER SEQUENCE study_patient_scope_consent_seq OWNED BY study_patient_scope_consent.id;

CREATE SEQUENCE study_data_source_seq START WITH 1 INCREMENT BY 1;
CREATE TABLE study_data_source (
    id              BIGINT PRIMARY KEY DEFAULT nextval('study_data_source_seq'),
    study_id        BIGINT NOT NULL REFERENCES study (id) ON DELETE CASCADE,
    data_source_id  BIGINT NOT NULL REFERENCES data_source (id) ON DELETE CASCADE,
    CONSTRAINT study_data_source_unique UNIQUE (study_id, data_source_id)
);
ALTER SEQUENCE study_data_source_seq OWNED BY study_data_source.id;
