-- The audit trail (topic audit-events, docs/architecture.md#audit-trail): one row per event, never the data accessed.
-- Partitioned by month of the event, so that retention is a partition drop. Each row carries its Kafka partition
-- and offset and a hash chained to the previous event of the same Kafka partition:
--   hash = SHA-256(prev_hash || event), event = the canonical JSON (common AuditJson) exactly as stored here.
-- The columns beside event are copies for searching; ./jhe audit verify checks them against the event.
CREATE TABLE audit_event (
    recorded_at      TIMESTAMPTZ NOT NULL,
    kafka_partition  INTEGER     NOT NULL,
    kafka_offset     BIGINT      NOT NULL,
    event_id         UUID        NOT NULL,
    action           TEXT        NOT NULL,
    outcome          TEXT        NOT NULL,
    agent_user_id    BIGINT,
    resource_type    TEXT,
    patient_ids      BIGINT[]    NOT NULL,
    event            TEXT        NOT NULL,
    prev_hash        BYTEA       NOT NULL,
    hash             BYTEA       NOT NULL,
    -- a redelivered record lands on the same row (same event, same month)
    PRIMARY KEY (kafka_partition, kafka_offset, recorded_at)
) PARTITION BY RANGE (recorded_at);
-- a patient's access report and the superuser's search by patient
CREATE INDEX audit_event_patient_idx ON audit_event USING GIN (patient_ids);
-- every search is ordered by time, newest first
CREATE INDEX audit_event_recorded_idx ON audit_event (recorded_at, event_id);
CREATE INDEX audit_event_agent_idx ON audit_event (agent_user_id, recorded_at);
-- events whose month has no partition yet (a producer's clock far off): kept, never lost
CREATE TABLE audit_event_default PARTITION OF audit_event DEFAULT;

-- The last stored event of each Kafka partition: where the next batch's chain continues, and what the chain must
-- end with (an event deleted from the end shows as a head that no row matches).
CREATE TABLE audit_chain_head (
    kafka_partition  INTEGER PRIMARY KEY,
    kafka_offset     BIGINT  NOT NULL,
    hash             BYTEA   NOT NULL
);

-- The last event of each Kafka partition in the months dropped by retention: where the kept chain starts.
CREATE TABLE audit_chain_anchor (
    kafka_partition  INTEGER PRIMARY KEY,
    kafka_offset     BIGINT  NOT NULL,
    hash             BYTEA   NOT NULL
);

-- The service's role changes no schema: partitions are created ahead and dropped after the retention by this
-- function, which runs as its owner (the migration user). Names and bounds come from dates, never from text given.
CREATE FUNCTION audit_event_partitions(months_ahead INTEGER, keep INTERVAL) RETURNS INTEGER
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${flyway:defaultSchema}, pg_temp AS $$
DECLARE
    month DATE;
    dropped INTEGER := 0;
    part RECORD;
    upper_bound TIMESTAMPTZ;
BEGIN
    IF months_ahead < 0 OR months_ahead > 24 OR keep < INTERVAL '1 month' THEN
        RAISE EXCEPTION 'audit partitions: months_ahead 0..24 and keep of a month at least';
    END IF;
    FOR i IN 0..months_ahead LOOP
        month := (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => i))::DATE;
        IF to_regclass(format('audit_event_%s', to_char(month, 'YYYY_MM'))) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF audit_event FOR VALUES FROM (%L) TO (%L)',
                'audit_event_' || to_char(month, 'YYYY_MM'), month::TEXT || ' 00:00:00+00',
                (month + INTERVAL '1 month')::DATE::TEXT || ' 00:00:00+00');
            -- the schema's default privileges would let the service change and the observation reader read it
            EXECUTE format('REVOKE ALL ON %I FROM jhe_observation_reader', 'audit_event_' || to_char(month, 'YYYY_MM'));
            EXECUTE format('REVOKE UPDATE, DELETE ON %I FROM ${service_role}', 'audit_event_' || to_char(month, 'YYYY_MM'));
        END IF;
    END LOOP;
    FOR part IN
        SELECT c.relname AS name FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid
            JOIN pg_class p ON p.oid = i.inhparent
            JOIN pg_namespace n ON n.oid = p.relnamespace
        WHERE p.relname = 'audit_event' AND n.nspname = current_schema() AND c.relname ~ '^audit_event_[0-9]{4}_[0-9]{2}$'
    LOOP
        upper_bound := (to_date(substr(part.name, 13), 'YYYY_MM') + INTERVAL '1 month')::TIMESTAMP AT TIME ZONE 'UTC';
        IF upper_bound <= now() - keep THEN
            EXECUTE format('INSERT INTO audit_chain_anchor AS a (kafka_partition, kafka_offset, hash) '
                || 'SELECT DISTINCT ON (kafka_partition) kafka_partition, kafka_offset, hash FROM %I '
                || 'ORDER BY kafka_partition, kafka_offset DESC '
                || 'ON CONFLICT (kafka_partition) DO UPDATE SET kafka_offset = EXCLUDED.kafka_offset, '
                || 'hash = EXCLUDED.hash WHERE a.kafka_offset < EXCLUDED.kafka_offset', part.name);
            EXECUTE format('DROP TABLE %I', part.name);
            dropped := dropped + 1;
        END IF;
    END LOOP;
    RETURN dropped;
END
$$;
REVOKE ALL ON FUNCTION audit_event_partitions(INTEGER, INTERVAL) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit_event_partitions(INTEGER, INTERVAL) TO ${service_role};
SELECT audit_event_partitions(2, INTERVAL '6 years');

-- fhir-service reads the audit trail (AuditEvent search) through a role of its own, and the observation reader
-- does not: the trail says who looked at whose data, which is not for the observation paths.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'jhe_audit_reader') THEN
        CREATE ROLE jhe_audit_reader NOLOGIN;
    END IF;
END
$$;
GRANT USAGE ON SCHEMA ${flyway:defaultSchema} TO jhe_audit_reader;
REVOKE ALL ON audit_event, audit_event_default, audit_chain_head, audit_chain_anchor FROM jhe_observation_reader;
GRANT SELECT ON audit_event TO jhe_audit_reader;
-- the trail is appended to, never changed, by the service
REVOKE UPDATE, DELETE ON audit_event, audit_event_default, audit_chain_anchor FROM ${service_role};
