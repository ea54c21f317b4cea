-- One row per processed upload, written in the same transaction as its observations: a redelivered upload is
-- recognised by its id and answered with the same outcome without storing anything twice, and fhir-service reads
-- the outcome to answer the upload's asynchronous status. The result holds statuses, observation ids and
-- messages, never the uploaded data.
CREATE TABLE upload (
    upload_id         UUID        PRIMARY KEY,
    uploader_user_id  BIGINT      NOT NULL,
    bundle_type       VARCHAR(16) NOT NULL,
    status            SMALLINT    NOT NULL,
    entry_count       INTEGER     NOT NULL,
    stored_count      INTEGER     NOT NULL,
    result            JSONB       NOT NULL,
    received_at       TIMESTAMPTZ NOT NULL,
    processed_at      TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
-- forgetting uploads once the topic's retention has passed
CREATE INDEX upload_processed_idx ON upload (processed_at);
