-- fhir-service reads ingest-service's observation store, and only reads it. The reader role is created here too
-- when ingest-service has not migrated yet; ingest-service's migrations grant it SELECT on the store.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'jhe_observation_reader') THEN
        CREATE ROLE jhe_observation_reader NOLOGIN;
    END IF;
END
$$;
GRANT jhe_observation_reader TO ${service_role};
