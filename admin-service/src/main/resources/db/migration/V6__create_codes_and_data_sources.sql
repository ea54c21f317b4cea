-- Data types (CodeableConcepts) and the data sources (devices and apps) with the types they support.
CREATE SEQUENCE codeable_concept_seq START WITH 50001 INCREMENT BY 1;
CREATE TABLE codeable_concept (
    id             BIGINT       PRIMARY KEY DEFAULT nextval('codeable_concept_seq'),
    coding_system  VARCHAR(255) NOT NULL,
    coding_code    VARCHAR(255) NOT NULL,
    text           VARCHAR(255),
    CONSTRAINT codeable_concept_unique UNIQUE (coding_system, coding_code)
);
ALTER SEQUENCE codeable_concept_seq OWNED BY codeable_concept.id;

CREATE SEQUENCE data_source_seq START WITH 70001 INCREMENT BY 1;
CREATE TABLE data_source (
    id            BIGINT       PRIMARY KEY DEFAULT nextval('data_source_seq'),
    name          VARCHAR(255),
    type          VARCHAR(40)  NOT NULL DEFAULT 'personal_device'
                  CHECK (type IN ('medical_device', 'personal_device', 'patient_app')),
    last_updated  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
ALTER SEQUENCE data_source_seq OWNED BY data_source.id;

CREATE SEQUENCE data_source_supported_scope_seq START WITH 1 INCREMENT BY 1;
CREATE TABLE data_source_supported_scope (
    id              BIGINT PRIMARY KEY DEFAULT nextval('data_source_supported_scope_seq'),
    data_source_id  BIGINT NOT NULL REFERENCES data_source (id) ON DELETE CASCADE,
    scope_code_id   BIGINT NOT NULL REFERENCES codeable_concept (id) ON DELETE RESTRICT,
    CONSTRAINT data_source_supported_scope_unique UNIQUE (data_source_id, scope_code_id)
);
ALTER SEQUENCE data_source_supported_scope_seq OWNED BY data_source_supported_scope.id;
