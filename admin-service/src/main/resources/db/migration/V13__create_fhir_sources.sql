-- A patient's FHIR sources: the outside FHIR servers (an EHR's patient portal, a questionnaire app) whose resources
-- the patient's apps copy into the exchange's FHIR resource store. The store keeps the source's id beside each
-- resource; the patient is the one the resources are about and the only one who manages the source.
CREATE SEQUENCE fhir_source_seq START WITH 1 INCREMENT BY 1;
CREATE TABLE fhir_source (
    id              BIGINT       PRIMARY KEY DEFAULT nextval('fhir_source_seq'),
    patient_id      BIGINT       NOT NULL REFERENCES patient (id) ON DELETE CASCADE,
    -- a data source in use by a FHIR source cannot be deleted (409): the resources name it
    data_source_id  BIGINT       NOT NULL REFERENCES data_source (id),
    label           VARCHAR(255) NOT NULL DEFAULT '',
    fhir_base_url   VARCHAR(2000) NOT NULL DEFAULT '',
    last_updated    TIMESTAMPTZ  NOT NULL DEFAULT now()
);
ALTER SEQUENCE fhir_source_seq OWNED BY fhir_source.id;
CREATE INDEX fhir_source_patient_idx ON fhir_source (patient_id, id);
CREATE INDEX fhir_source_data_source_idx ON fhir_source (data_source_id);
-- an app that registers the same server again gets the source it made before (a create is idempotent on it)
CREATE UNIQUE INDEX fhir_source_server_idx ON fhir_source (patient_id, data_source_id, fhir_base_url)
    WHERE fhir_base_url <> '';
