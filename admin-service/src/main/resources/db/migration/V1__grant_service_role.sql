-- The service's runtime role reads and writes rows; only the migration user changes the schema.
GRANT USAGE ON SCHEMA ${flyway:defaultSchema} TO ${service_role};
ALTER DEFAULT PRIVILEGES IN SCHEMA ${flyway:defaultSchema}
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${service_role};
ALTER DEFAULT PRIVILEGES IN SCHEMA ${flyway:defaultSchema}
    GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${service_role};
