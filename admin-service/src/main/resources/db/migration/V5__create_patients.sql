-- Patients, their organizations and their external identifiers (globally unique per system and value).
CREATE SEQUENCE patient_seq START WITH 40001 INCREMENT BY 1;

CREATE TABLE patient (
    id             BIGINT       PRIMARY KEY DEFAULT nextval('patient_seq'),
    jhe_user_id    BIGINT       UNIQUE,
    name_family    VARCHAR(255),
    name_given     VARCHAR(255),
    birth_date     DATE,
    telecom_phone  VARCHAR(255),
    last_updated   TIMESTAMPTZ  NOT NULL DEFAULT now()
);
ALTER SEQUENCE patient_seq OWNED BY patient.id;

CREATE SEQUENCE patient_organization_seq START WITH 1 INCREMENT BY 1;
CREATE TABLE patient_organization (
    id               BIGINT PRIMARY KEY DEFAULT nextval('patient_organization_seq'),
    patient_id       BIGINT NOT NULL REFERENCES patient (id) ON DELETE CASCADE,
    organization_id  BIGINT NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    CONSTRAINT patient_organization_unique UNIQUE (patient_id, organization_id)
);
ALTER SEQUENCE patient_organization_seq OWNED BY patient_organization.id;
-- the patient list of an organization, in id order, is an index range scan
CREATE INDEX patient_organization_org_idx ON patient_organization (organization_id, patient_id);

CREATE SEQUENCE patient_identifier_seq START WITH 1 INCREMENT BY 1;
CREATE TABLE patient_identifier (
    id          BIGINT       PRIMARY KEY DEFAULT nextval('patient_identifier_seq'),
    patient_id  BIGINT       NOT NULL REFERENCES patient (id) ON DELETE CASCADE,
    system      VARCHAR(255) NOT NULL,
    value       VARCHAR(255) NOT NULL,
    CONSTRAINT patient_identifier_unique UNIQUE (system, value)
);
ALTER SEQUENCE patient_identifier_seq OWNED BY patient_identifier.id;
CREATE INDEX patient_identifier_patient_idx ON patient_identifier (patient_id);
CREATE INDEX patient_identifier_value_idx ON patient_identifier (value);
