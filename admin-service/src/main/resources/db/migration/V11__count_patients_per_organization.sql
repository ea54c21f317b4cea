-- The number of patients of each organization, kept by statement-level triggers on patient_organization, so that
-- the total of an organization's patient list is one row read instead of a count over its members.
CREATE TABLE organization_patient_count (
    organization_id  BIGINT PRIMARY KEY REFERENCES organization (id) ON DELETE CASCADE,
    patients         BIGINT NOT NULL
);

INSERT INTO organization_patient_count (organization_id, patients)
SELECT organization_id, count(*) FROM patient_organization GROUP BY organization_id;

-- Counter rows are locked in organization id order (FOR UPDATE after the sort, then INSERT ... ORDER BY), so that
-- concurrent statements cannot deadlock on them. The counter is named with its schema: the trigger also fires for
-- sessions with another search_path.
CREATE FUNCTION patient_organization_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        PERFORM 1 FROM ${flyway:defaultSchema}.organization_patient_count
        WHERE organization_id IN (SELECT organization_id FROM old_rows) ORDER BY organization_id FOR UPDATE;
        UPDATE ${flyway:defaultSchema}.organization_patient_count c SET patients = c.patients - d.n
        FROM (SELECT organization_id, count(*) AS n FROM old_rows GROUP BY organization_id) d
        WHERE c.organization_id = d.organization_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO ${flyway:defaultSchema}.organization_patient_count AS c (organization_id, patients)
        SELECT organization_id, count(*) FROM new_rows GROUP BY organization_id ORDER BY organization_id
        ON CONFLICT (organization_id) DO UPDATE SET patients = c.patients + EXCLUDED.patients;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER patient_organization_counted_insert AFTER INSERT ON patient_organization
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION patient_organization_counted();
CREATE TRIGGER patient_organization_counted_delete AFTER DELETE ON patient_organization
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION patient_organization_counted();
CREATE TRIGGER patient_organization_counted_update AFTER UPDATE ON patient_organization
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION patient_organization_counted();
