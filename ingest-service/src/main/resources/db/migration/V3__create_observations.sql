-- The observation store: one row per Open mHealth data point, wrapped as a FHIR R5 Observation on read.
-- Patient, code and data-source ids belong to admin-service: plain columns, no foreign keys across services.
CREATE SEQUENCE observation_seq START WITH 60001 INCREMENT BY 1;

CREATE TABLE observation (
    id                      BIGINT      PRIMARY KEY DEFAULT nextval('observation_seq'),
    subject_patient_id      BIGINT      NOT NULL,
    codeable_concept_id     BIGINT      NOT NULL,
    coding_system           TEXT        NOT NULL,
    coding_code             TEXT        NOT NULL,
    data_source_id          BIGINT,
    status                  VARCHAR(32) NOT NULL DEFAULT 'final'
        CHECK (status IN ('registered', 'specimen-in-process', 'preliminary', 'final', 'amended', 'corrected',
                          'appended', 'cancelled', 'entered-in-error', 'unknown', 'cannot-be-obtained')),
    omh_data                JSONB       NOT NULL,
    effective_date_time     TIMESTAMPTZ,
    effective_period_start  TIMESTAMPTZ,
    effective_period_end    TIMESTAMPTZ,
    -- FHIR search "date" and _sort=date: the instant, or the start of the period
    effective_at            TIMESTAMPTZ GENERATED ALWAYS AS (COALESCE(effective_date_time, effective_period_start)) STORED,
    -- the upload that stored it, and who uploaded it (null for rows that did not come through an upload)
    upload_id               UUID,
    uploaded_by_user_id     BIGINT,
    last_updated            TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
ALTER SEQUENCE observation_seq OWNED BY observation.id;

-- a patient's observations, newest first: the default order and the keyset of FHIR and admin paging
CREATE INDEX observation_patient_updated_idx ON observation (subject_patient_id, last_updated DESC, id DESC);
-- the same by clinical time (_sort=date, date=...)
CREATE INDEX observation_patient_effective_idx ON observation (subject_patient_id, effective_at DESC, id DESC);
CREATE INDEX observation_upload_idx ON observation (upload_id) WHERE upload_id IS NOT NULL;

-- Business identifiers of observations (FHIR Observation.identifier), globally unique as in the original: a
-- re-sent observation is recognised by its identifier and stored once.
CREATE TABLE observation_identifier (
    observation_id  BIGINT NOT NULL REFERENCES observation (id) ON DELETE CASCADE,
    system          TEXT   NOT NULL,
    value           TEXT   NOT NULL,
    PRIMARY KEY (system, value)
);
CREATE INDEX observation_identifier_observation_idx ON observation_identifier (observation_id);
