-- The exchange's own services (admin-service, fhir-service, ingest-service) are OAuth clients registered from
-- configuration at start. Only they may obtain the `internal` scope; nobody can create one through an API.
ALTER TABLE oauth_client ADD COLUMN is_service BOOLEAN NOT NULL DEFAULT FALSE;
