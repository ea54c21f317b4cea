-- The NDJSON files a finished part of an export wrote, in the order of the manifest; the files themselves are on
-- the export volume (jhe.fhir.export.dir), named by the job and the file's name. Removed with their job.
CREATE TABLE export_file (
    job_id         UUID        NOT NULL REFERENCES export_job (id) ON DELETE CASCADE,
    seq            INTEGER     NOT NULL,
    name           VARCHAR(96) NOT NULL,
    resource_type  VARCHAR(64) NOT NULL,
    -- 'output' or 'error' (OperationOutcomes: what a lenient kick-off ignored)
    kind           VARCHAR(8)  NOT NULL CHECK (kind IN ('output', 'error')),
    resources      BIGINT      NOT NULL,
    bytes          BIGINT      NOT NULL,
    PRIMARY KEY (job_id, seq),
    UNIQUE (job_id, name)
);
