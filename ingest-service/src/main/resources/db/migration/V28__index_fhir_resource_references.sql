-- Reference indexing of the FHIR resource store (POST /api/v1/fhir_sources/{id}/index_refs): a source's resources
-- name each other by the ids of the server they were copied from; the indexing rewrites those references to the
-- store's ids once and marks the resource. A write of the resource (a new version) needs it again.
ALTER TABLE fhir_resource ADD COLUMN ref_indexed BOOLEAN NOT NULL DEFAULT false;
-- the resources of a source still to index, without reading the source's indexed ones
CREATE INDEX fhir_resource_unindexed_idx ON fhir_resource (fhir_source_id, id) WHERE NOT ref_indexed;
