-- The FHIR resource store: resources beyond Open mHealth Observations (QuestionnaireResponse, Condition, ...), each
-- written by a patient or a permitted practitioner through a FHIR source that belongs to one patient. The resource is
-- kept as the JSON text that is served (its id, meta.versionId and meta.lastUpdated are the row's, added on read);
-- what searches filter and sort on is extracted when it is written, into columns and the token table, so that a
-- search is an index scan whatever the store's size. fhir-service reads these tables through jhe_observation_reader
-- (V2's default privileges).
CREATE TABLE fhir_resource (
    id                  UUID        PRIMARY KEY,
    resource_type       TEXT        NOT NULL,
    patient_id          BIGINT      NOT NULL,
    fhir_source_id      BIGINT      NOT NULL,
    -- the id the source gave the resource (at most 64 characters): a write with the same one updates it
    upstream_id         TEXT,
    version_id          BIGINT      NOT NULL,
    last_updated        TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    -- the type's clinical date (docs/compatibility.md#fhir-resource-store), for date, authored and _sort=date
    clinical_date       TIMESTAMPTZ,
    status              TEXT,
    resource            TEXT        NOT NULL,
    upload_id           UUID        NOT NULL,
    written_by_user_id  BIGINT      NOT NULL
);
CREATE UNIQUE INDEX fhir_resource_upstream_idx ON fhir_resource (fhir_source_id, resource_type, upstream_id)
    WHERE upstream_id IS NOT NULL;
-- a page of a patient's resources of a type, newest first (and read backwards, the previous page)
CREATE INDEX fhir_resource_patient_updated_idx
    ON fhir_resource (resource_type, patient_id, last_updated DESC, id DESC);
CREATE INDEX fhir_resource_patient_date_idx
    ON fhir_resource (resource_type, patient_id, clinical_date DESC NULLS LAST, id DESC);
CREATE INDEX fhir_resource_source_idx ON fhir_resource (fhir_source_id, resource_type, last_updated DESC);

-- Token, reference and string search values of each resource: (name, system, value) per resource, searched by
-- (type, name, value) and narrowed by patient. Replaced whenever the resource is.
CREATE TABLE fhir_resource_token (
    resource_id    UUID   NOT NULL,
    resource_type  TEXT   NOT NULL,
    patient_id     BIGINT NOT NULL,
    name           TEXT   NOT NULL,
    system         TEXT   NOT NULL,
    value          TEXT   NOT NULL
);
CREATE INDEX fhir_resource_token_resource_idx ON fhir_resource_token (resource_id);
CREATE INDEX fhir_resource_token_value_idx ON fhir_resource_token (resource_type, name, value, patient_id);

-- What remains of a deleted resource: which, whose, of which type, deleted by whom, when, by which request.
CREATE TABLE fhir_resource_deletion (
    resource_id         UUID        NOT NULL,
    version_id          BIGINT      NOT NULL,
    resource_type       TEXT        NOT NULL,
    patient_id          BIGINT      NOT NULL,
    fhir_source_id      BIGINT      NOT NULL,
    deleted_by_user_id  BIGINT      NOT NULL,
    upload_id           UUID        NOT NULL,
    deleted_at          TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (resource_id, version_id)
);
CREATE INDEX fhir_resource_deletion_patient_idx ON fhir_resource_deletion (patient_id, deleted_at);
