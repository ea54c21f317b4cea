-- Bulk export jobs (FHIR Bulk Data $export): what was asked, by whom, what the requester could read when it was
-- asked (the access decided once, at kick-off), and where the work stands. A worker claims a job with a lease,
-- renewed as it writes; a job whose lease ran out (its worker died) is claimed again and redone from the start.
CREATE TABLE export_job (
    id                 UUID        PRIMARY KEY,
    requester_user_id  BIGINT      NOT NULL,
    request_url        TEXT        NOT NULL,
    -- the kick-off's parameters and access decision, as the worker reads them (ExportJobSpec)
    spec               JSONB       NOT NULL,
    status             VARCHAR(16) NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed')),
    transaction_time   TIMESTAMPTZ NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    expires_at         TIMESTAMPTZ NOT NULL,
    lease_owner        VARCHAR(64),
    lease_until        TIMESTAMPTZ,
    attempts           INTEGER     NOT NULL DEFAULT 0,
    estimated          BIGINT      NOT NULL DEFAULT 0,
    written            BIGINT      NOT NULL DEFAULT 0,
    finished_at        TIMESTAMPTZ,
    failure            TEXT
);
-- the worker's claim: the oldest job waiting, or running with a lease run out
CREATE INDEX export_job_waiting_idx ON export_job (created_at) WHERE status IN ('queued', 'running');
-- the per-user limit of jobs under way
CREATE INDEX export_job_requester_idx ON export_job (requester_user_id) WHERE status IN ('queued', 'running');
CREATE INDEX export_job_expiry_idx ON export_job (expires_at);
