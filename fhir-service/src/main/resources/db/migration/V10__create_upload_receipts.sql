-- Uploads accepted by fhir-service whose outcome may still be pending: who sent them, for the asynchronous
-- status URL (only the uploader may read it). The outcome itself is ingest-service's (ingest.upload).
CREATE TABLE upload_receipt (
    upload_id         UUID        PRIMARY KEY,
    uploader_user_id  BIGINT      NOT NULL,
    bundle_type       VARCHAR(16) NOT NULL,
    entry_count       INTEGER     NOT NULL,
    received_at       TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX upload_receipt_received_idx ON upload_receipt (received_at);
