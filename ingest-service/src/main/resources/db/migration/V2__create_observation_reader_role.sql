-- fhir-service reads the observation store through this role (granted to its login role by its own migrations);
-- it can read every table of this schema and write none.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'jhe_observation_reader') THEN
        CREATE ROLE jhe_observation_reader NOLOGIN;
    END IF;
END
$$;
GRANT USAGE ON SCHEMA ${flyway:defaultSchema} TO jhe_observation_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA ${flyway:defaultSchema} GRANT SELECT ON TABLES TO jhe_observation_reader;
