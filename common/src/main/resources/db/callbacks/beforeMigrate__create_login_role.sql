-- Flyway callback shared by every service with a schema (each lists db/callbacks in quarkus.flyway.locations), run
-- before its migrations as the migration user. It creates the service's own login role (placeholder service_role)
-- only when missing, so that a role managed by the operator (CloudNativePG, a managed PostgreSQL or the compose
-- init script, which also set its password) is left alone. A role created here has no password: it is for servers
-- that trust local connections, as the local run's are.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = '${service_role}') THEN
        EXECUTE format('CREATE ROLE %I LOGIN', '${service_role}');
        EXECUTE format('ALTER ROLE %I SET search_path TO %I', '${service_role}', '${flyway:defaultSchema}');
    END IF;
END
$$;
