-- The number of observations of each patient and code, kept by statement-level triggers on observation, so that
-- the total of a search without row conditions (the first page of every notebook's read) adds up a few counter
-- rows instead of counting every granted row (fhir-service reads it through jhe_observation_reader).
CREATE TABLE observation_count (
    subject_patient_id  BIGINT NOT NULL,
    coding_system       TEXT   NOT NULL,
    coding_code         TEXT   NOT NULL,
    observations        BIGINT NOT NULL,
    PRIMARY KEY (subject_patient_id, coding_system, coding_code)
);

INSERT INTO observation_count (subject_patient_id, coding_system, coding_code, observations)
SELECT subject_patient_id, coding_system, coding_code, count(*) FROM observation
GROUP BY subject_patient_id, coding_system, coding_code;

-- Counter rows are locked in key order (FOR UPDATE after the sort, then INSERT ... ORDER BY), so that concurrent
-- statements cannot deadlock on them. The counter is named with its schema: the trigger also fires for sessions
-- with another search_path. TRUNCATE empties the counters too.
CREATE FUNCTION observation_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        PERFORM 1 FROM ${flyway:defaultSchema}.observation_count c
        WHERE (c.subject_patient_id, c.coding_system, c.coding_code) IN
            (SELECT subject_patient_id, coding_system, coding_code FROM old_rows)
        ORDER BY c.subject_patient_id, c.coding_system, c.coding_code FOR UPDATE;
        UPDATE ${flyway:defaultSchema}.observation_count c SET observations = c.observations - d.n
        FROM (SELECT subject_patient_id, coding_system, coding_code, count(*) AS n FROM old_rows
              GROUP BY subject_patient_id, coding_system, coding_code) d
        WHERE c.subject_patient_id = d.subject_patient_id AND c.coding_system = d.coding_system
          AND c.coding_code = d.coding_code;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO ${flyway:defaultSchema}.observation_count AS c
            (subject_patient_id, coding_system, coding_code, observations)
        SELECT subject_patient_id, coding_system, coding_code, count(*) FROM new_rows
        GROUP BY subject_patient_id, coding_system, coding_code
        ORDER BY subject_patient_id, coding_system, coding_code
        ON CONFLICT (subject_patient_id, coding_system, coding_code)
        DO UPDATE SET observations = c.observations + EXCLUDED.observations;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER observation_counted_insert AFTER INSERT ON observation
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION observation_counted();
CREATE TRIGGER observation_counted_delete AFTER DELETE ON observation
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION observation_counted();
CREATE TRIGGER observation_counted_update AFTER UPDATE ON observation
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION observation_counted();

CREATE FUNCTION observation_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM ${flyway:defaultSchema}.observation_count;
    RETURN NULL;
END
$$;

CREATE TRIGGER observation_counted_truncate AFTER TRUNCATE ON observation
    FOR EACH STATEMENT EXECUTE FUNCTION observation_truncated();
