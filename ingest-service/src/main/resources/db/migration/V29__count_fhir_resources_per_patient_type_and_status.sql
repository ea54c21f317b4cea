-- The number of stored resources of each patient, type and status, kept by statement-level triggers on fhir_resource
-- (as observation_count is for observations), so that the total of a search without row conditions other than its
-- status (the first page of an app's or notebook's read) adds up a few counter rows instead of counting every
-- matching resource: a patient's tens of thousands of questionnaire responses are counted in one lookup.
-- fhir-service reads it through jhe_observation_reader (V2's default privileges). A resource without a status is
-- counted under ''.
CREATE TABLE fhir_resource_count (
    patient_id     BIGINT NOT NULL,
    resource_type  TEXT   NOT NULL,
    status         TEXT   NOT NULL,
    resources      BIGINT NOT NULL,
    PRIMARY KEY (patient_id, resource_type, status)
);

INSERT INTO fhir_resource_count (patient_id, resource_type, status, resources)
SELECT patient_id, resource_type, coalesce(status, ''), count(*) FROM fhir_resource
GROUP BY patient_id, resource_type, coalesce(status, '');

-- Each statement adds its net change per key, in key order (INSERT ... ORDER BY locks the counter rows in that
-- order), so that concurrent statements cannot deadlock on them; an update that keeps a resource's patient, type and
-- status (a new version, its references indexed) changes no counter and locks none. The counter is named with its
-- schema: the trigger also fires for sessions with another search_path.
CREATE FUNCTION fhir_resource_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO ${flyway:defaultSchema}.fhir_resource_count AS c (patient_id, resource_type, status, resources)
        SELECT patient_id, resource_type, coalesce(status, ''), count(*) FROM new_rows
        GROUP BY patient_id, resource_type, coalesce(status, '')
        ORDER BY patient_id, resource_type, coalesce(status, '')
        ON CONFLICT (patient_id, resource_type, status) DO UPDATE SET resources = c.resources + EXCLUDED.resources;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO ${flyway:defaultSchema}.fhir_resource_count AS c (patient_id, resource_type, status, resources)
        SELECT patient_id, resource_type, coalesce(status, ''), -count(*) FROM old_rows
        GROUP BY patient_id, resource_type, coalesce(status, '')
        ORDER BY patient_id, resource_type, coalesce(status, '')
        ON CONFLICT (patient_id, resource_type, status) DO UPDATE SET resources = c.resources + EXCLUDED.resources;
    ELSE
        INSERT INTO ${flyway:defaultSchema}.fhir_resource_count AS c (patient_id, resource_type, status, resources)
        SELECT patient_id, resource_type, status, sum(n) FROM (
            SELECT patient_id, resource_type, coalesce(status, '') AS status, 1 AS n FROM new_rows
            UNION ALL
            SELECT patient_id, resource_type, coalesce(status, ''), -1 FROM old_rows) changed
        GROUP BY patient_id, resource_type, status HAVING sum(n) <> 0
        ORDER BY patient_id, resource_type, status
        ON CONFLICT (patient_id, resource_type, status) DO UPDATE SET resources = c.resources + EXCLUDED.resources;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER fhir_resource_counted_insert AFTER INSERT ON fhir_resource
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fhir_resource_counted();
CREATE TRIGGER fhir_resource_counted_delete AFTER DELETE ON fhir_resource
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION fhir_resource_counted();
CREATE TRIGGER fhir_resource_counted_update AFTER UPDATE ON fhir_resource
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION fhir_resource_counted();

CREATE FUNCTION fhir_resource_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM ${flyway:defaultSchema}.fhir_resource_count;
    RETURN NULL;
END
$$;

CREATE TRIGGER fhir_resource_counted_truncate AFTER TRUNCATE ON fhir_resource
    FOR EACH STATEMENT EXECUTE FUNCTION fhir_resource_truncated();
