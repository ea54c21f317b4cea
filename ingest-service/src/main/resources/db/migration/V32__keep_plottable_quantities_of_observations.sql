-- Read performance (fhir-service, Observation/$series, the console's plots): each observation's plottable
-- quantities, taken from its Open mHealth body once, when it is written, instead of on every plot. A quantity is a
-- member of the body that is a number, or an object with a numeric "value" (and a "unit" when that is a string):
-- one row per observation and quantity, with the observation's patient, code and clinical time, so that a plot reads
-- one patient's rows of one code over a range from one index and reduces plain doubles, with no JSON work per row
-- (a month of 100,000 heart rates: the JSON reduction took most of the plot's time in PostgreSQL).
--
-- Kept by statement-level triggers on observation, whoever writes it: an insert adds the rows of the new
-- observations, an update replaces them, a delete (and a truncate) removes them. Observations without a clinical time
-- have none: no plot can place them. fhir-service reads the table through jhe_observation_reader (V2's default
-- privileges).
CREATE TABLE observation_point (
    observation_id      BIGINT      NOT NULL,
    subject_patient_id  BIGINT      NOT NULL,
    coding_system       TEXT        NOT NULL,
    coding_code         TEXT        NOT NULL,
    effective_at        TIMESTAMPTZ NOT NULL,
    -- the quantity's name (the body's key) and unit, as written
    name                TEXT        NOT NULL,
    unit                TEXT,
    value               FLOAT8      NOT NULL,
    -- true on exactly one row of each observation (its quantity of least name): a plot counts the observations of a
    -- time bucket by these, without a count of distinct ids
    first_quantity      BOOLEAN     NOT NULL
);
-- a patient's rows of one code in clinical-time order: what a plot reads; the id makes a deletion's lookup exact
CREATE INDEX observation_point_series_idx
    ON observation_point (subject_patient_id, coding_system, coding_code, effective_at, observation_id);

-- The quantities of an Open mHealth data point, as a plot reduces them: numbers beyond ±1e300, and those so close to
-- zero that they are no double (PostgreSQL refuses to round them to 0), are no plottable value and are left out.
-- SQL, immutable and without settings, so that PostgreSQL inlines it into the statements that call it; the value is
-- read once per member (OFFSET 0 keeps the inner query whole: pulled up, its expression was computed once for each
-- test of the filter, and made the insert a fifth slower).
CREATE FUNCTION observation_quantities(omh_data JSONB) RETURNS TABLE (name TEXT, unit TEXT, value FLOAT8)
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT m.key, CASE WHEN jsonb_typeof(m.member -> 'unit') = 'string' THEN m.member ->> 'unit' END, m.v::float8
    FROM (SELECT q.key, q.value AS member,
                 CASE WHEN jsonb_typeof(q.value) = 'number' THEN q.value::numeric
                      WHEN jsonb_typeof(q.value -> 'value') = 'number' THEN (q.value -> 'value')::numeric END AS v
          FROM jsonb_each(CASE WHEN jsonb_typeof(omh_data -> 'body') = 'object' THEN omh_data -> 'body'
                               ELSE '{}'::jsonb END) q
          OFFSET 0) m
    WHERE abs(m.v) < 1e300 AND (m.v = 0 OR abs(m.v) >= 1e-323)
$$;

-- Named with their schema: the triggers also fire for sessions with another search_path. An update replaces the rows
-- of every updated observation (its body, time, patient or code may have changed). A deletion finds the rows of each
-- deleted observation by the index, whatever the planner guesses of the tables (no statistics here): a hash or merge
-- join would read the whole table for a patient's purge, whose cost should follow what it deletes.
CREATE FUNCTION observation_points_kept() RETURNS trigger LANGUAGE plpgsql
    SET enable_hashjoin = off SET enable_mergejoin = off AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM ${flyway:defaultSchema}.observation_point;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        DELETE FROM ${flyway:defaultSchema}.observation_point p USING old_rows o
        WHERE p.subject_patient_id = o.subject_patient_id AND p.coding_system = o.coding_system
          AND p.coding_code = o.coding_code AND p.effective_at = o.effective_at AND p.observation_id = o.id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO ${flyway:defaultSchema}.observation_point (observation_id, subject_patient_id, coding_system,
                coding_code, effective_at, name, unit, value, first_quantity)
        SELECT o.id, o.subject_patient_id, o.coding_system, o.coding_code, o.effective_at, q.name, q.unit, q.value,
               q.name = min(q.name) OVER (PARTITION BY o.id)
        FROM new_rows o CROSS JOIN LATERAL ${flyway:defaultSchema}.observation_quantities(o.omh_data) q
        WHERE o.effective_at IS NOT NULL;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER observation_points_insert AFTER INSERT ON observation
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION observation_points_kept();
CREATE TRIGGER observation_points_delete AFTER DELETE ON observation
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION observation_points_kept();
CREATE TRIGGER observation_points_update AFTER UPDATE ON observation
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION observation_points_kept();
CREATE TRIGGER observation_points_truncate AFTER TRUNCATE ON observation
    FOR EACH STATEMENT EXECUTE FUNCTION observation_points_kept();

-- The observations stored before, in batches of 50,000 (by id: each batch one statement, its sort within memory),
-- with the progress in the migration's log. The triggers above keep the observations written meanwhile (this
-- transaction holds writers back until it commits). Measured: 120,000 observations (140,000 quantities) in 7.2 s on
-- two cores loaded by other work (load average 20), about 17,000 observations a second: a minute per million at most.
DO $$
DECLARE
    low BIGINT;
    high BIGINT;
    done BIGINT := 0;
    started TIMESTAMPTZ := clock_timestamp();
BEGIN
    SELECT min(id) INTO low FROM ${flyway:defaultSchema}.observation;
    WHILE low IS NOT NULL LOOP
        SELECT id INTO high FROM ${flyway:defaultSchema}.observation WHERE id >= low ORDER BY id OFFSET 50000 LIMIT 1;
        INSERT INTO ${flyway:defaultSchema}.observation_point (observation_id, subject_patient_id, coding_system,
                coding_code, effective_at, name, unit, value, first_quantity)
        SELECT o.id, o.subject_patient_id, o.coding_system, o.coding_code, o.effective_at, q.name, q.unit, q.value,
               q.name = min(q.name) OVER (PARTITION BY o.id)
        FROM ${flyway:defaultSchema}.observation o
        CROSS JOIN LATERAL ${flyway:defaultSchema}.observation_quantities(o.omh_data) q
        WHERE o.id >= low AND (high IS NULL OR o.id < high) AND o.effective_at IS NOT NULL;
        done := done + 1;
        RAISE NOTICE 'observation_point: % batches of observations done after %', done, clock_timestamp() - started;
        low := high;
    END LOOP;
END
$$;
