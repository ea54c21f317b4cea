-- fhir-service serves the audit trail (AuditEvent search) from ingest-service's audit store, and only reads it.
-- The reader role is created here too when ingest-service has not migrated yet; its migrations grant it SELECT.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'jhe_audit_reader') THEN
        CREATE ROLE jhe_audit_reader NOLOGIN;
    END IF;
END
$$;
GRANT jhe_audit_reader TO ${service_role};
