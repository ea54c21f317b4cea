#!/usr/bin/env bash
# Run once by the postgres image when its data volume is new: the login role of each service, with its schema as
# search_path. The schemas themselves are created by each service's migrations, which run as the superuser.
set -euo pipefail

create_role() { # role schema password
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
       -v role="$1" -v schema="$2" -v password="$3" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
ALTER ROLE :"role" SET search_path TO :"schema";
SQL
}

create_role jhe_identity identity "$JHE_IDENTITY_DB_PASSWORD"
create_role jhe_admin admin "$JHE_ADMIN_DB_PASSWORD"
create_role jhe_fhir fhir "$JHE_FHIR_DB_PASSWORD"
create_role jhe_ingest ingest "$JHE_INGEST_DB_PASSWORD"
