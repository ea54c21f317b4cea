-- A patient may delete its own observations. The row goes (with its identifiers and its count, by the triggers on
-- observation); what remains is this record of the deletion: which observation, whose, of which code, deleted by
-- whom, when and by which request (the upload id of the deletion). Never the data itself.
CREATE TABLE observation_deletion (
    observation_id      BIGINT      PRIMARY KEY,
    subject_patient_id  BIGINT      NOT NULL,
    coding_system       TEXT        NOT NULL,
    coding_code         TEXT        NOT NULL,
    deleted_by_user_id  BIGINT      NOT NULL,
    upload_id           UUID        NOT NULL,
    deleted_at          TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX observation_deletion_patient_idx ON observation_deletion (subject_patient_id, deleted_at);
