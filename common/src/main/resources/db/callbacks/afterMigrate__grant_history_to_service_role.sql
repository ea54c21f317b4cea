-- Flyway callback shared by every service with a schema, run after its migrations as the migration user. The
-- service's own login role may read the migrations' history (and nothing more of it): a Kubernetes pod checks with
-- Flyway's validate, as that role, that no migration is left before its service starts, so that only the migration
-- Job holds the owner credentials of the schema. The history table exists before the first migration and so is not
-- covered by the default privileges V1 grants; GRANT is idempotent, and this runs after every migrate.
GRANT SELECT ON TABLE ${flyway:defaultSchema}.${flyway:table} TO ${service_role};
