package org.jupyterhealth.exchange.fhir.upload;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jupyterhealth.exchange.common.kafka.Topic;
import org.jupyterhealth.exchange.common.testing.ContractCheck;
import org.jupyterhealth.exchange.common.upload.EntryOutcome;
import org.jupyterhealth.exchange.common.upload.UploadEntry;
import org.jupyterhealth.exchange.common.upload.UploadEnvelope;
import org.jupyterhealth.exchange.common.upload.UploadResult;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A stand-in for ingest-service on the real test broker and database: it consumes {@code observation-uploads},
 * records what it received, decides each entry by a simple rule (blood glucose is not consented, everything else
 * is stored), records the outcome in {@code ingest.upload} and produces it to {@code observation-upload-results},
 * as ingest-service does. Uploads can be held back to observe the asynchronous path, and decisions can be made
 * unavailable. What it receives and what it produces are checked against docs/internal-api.yaml (ContractCheck).
 */
public class StandInIngest implements QuarkusTestResourceLifecycleManager {
    public static final List<ConsumerRecord<String, String>> RECEIVED = new CopyOnWriteArrayList<>();
    /** While true, uploads are received but not answered until {@link #release()}. */
    public static final AtomicBoolean HOLD = new AtomicBoolean();
    public static final AtomicBoolean UNAVAILABLE = new AtomicBoolean();
    private static final List<UploadEnvelope> HELD = new CopyOnWriteArrayList<>();
    private static final AtomicLong IDS = new AtomicLong(900_000);
    private static final Map<UUID, UploadEnvelope> BY_ID = new ConcurrentHashMap<>();
    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static KafkaProducer<String, String> producer;
    private static String jdbcUrl;
    private Thread worker;
    private final AtomicBoolean running = new AtomicBoolean(true);

    @Override
    public Map<String, String> start() {
        String bootstrap = System.getenv().getOrDefault("JHE_TEST_KAFKA", "127.0.0.1:19092");
        jdbcUrl = "jdbc:postgresql://" + System.getenv().getOrDefault("JHE_DB_HOST", "127.0.0.1") + ":"
                + System.getenv().getOrDefault("JHE_DB_PORT", "5432") + "/"
                + System.getenv().getOrDefault("JHE_TEST_DB_NAME", "jhe_test");
        createUploadStore();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        producer = new KafkaProducer<>(p);
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c);
        List<TopicPartition> partitions = new ArrayList<>();
        for (int i = 0; i < Topic.OBSERVATION_UPLOADS.partitions(); i++) {
            partitions.add(new TopicPartition(Topic.OBSERVATION_UPLOADS.topicName(), i));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        worker = new Thread(() -> {
            try (consumer) {
                while (running.get()) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        RECEIVED.add(record);
                        // what fhir-service produced, against the contract ingest-service consumes by
                        ContractCheck.messageProblems("UploadEnvelope", record.value()).forEach(ContractCheck::violation);
                        try {
                            UploadEnvelope upload = JSON.readValue(record.value(), UploadEnvelope.class);
                            BY_ID.put(upload.uploadId(), upload);
                            if (HOLD.get()) {
                                HELD.add(upload);
                            } else {
                                answer(upload);
                            }
                        } catch (Exception e) {
                            // not an upload: ingest-service would dead-letter it
                        }
                    }
                }
            }
        }, "stand-in-ingest");
        worker.setDaemon(true);
        worker.start();
        return Map.of();
    }

    @Override
    public void stop() {
        running.set(false);
        if (producer != null) {
            producer.close(Duration.ofSeconds(2));
        }
    }

    /** Answers the uploads held so far and stops holding. */
    public static void release() {
        HOLD.set(false);
        for (UploadEnvelope upload : List.copyOf(HELD)) {
            answer(upload);
        }
        HELD.clear();
    }

    /** The upload with this id as the stand-in received it. */
    public static UploadEnvelope received(UUID uploadId) {
        return BY_ID.get(uploadId);
    }

    static void answer(UploadEnvelope upload) {
        List<EntryOutcome> outcomes = new ArrayList<>();
        int status = UploadResult.PROCESSED;
        for (UploadEntry entry : upload.entries()) {
            EntryOutcome outcome = upload.indexRefs() ? indexRefs(upload.uploaderUserId(), entry)
                    : upload.deletion() ? delete(entry) : isStoreEntry(entry)
                    ? writeToStore(upload.uploaderUserId(), entry) : decide(entry);
            if (UNAVAILABLE.get()) {
                outcome = EntryOutcome.failed(503, "transient", "Upload decisions are unavailable.");
                status = UploadResult.UNAVAILABLE;
            }
            outcomes.add(outcome);
        }
        if (upload.transactional() && status == UploadResult.PROCESSED
                && outcomes.stream().anyMatch(o -> !o.created())) {
            status = outcomes.stream().filter(o -> !o.created()).findFirst().orElseThrow().status();
            outcomes.replaceAll(o -> o.created()
                    ? EntryOutcome.failed(424, "processing", "Not stored: another entry of the transaction failed.")
                    : o);
        }
        UploadResult result = new UploadResult(upload.uploadId(), upload.uploaderUserId(), upload.bundleType(),
                status, Instant.now(), outcomes);
        try {
            String value = JSON.writeValueAsString(result);
            // what the stand-in answers, against the contract fhir-service reads outcomes by
            ContractCheck.messageProblems("UploadResult", value).forEach(ContractCheck::violation);
            record(upload, result, value);
            producer.send(new ProducerRecord<>(Topic.OBSERVATION_UPLOAD_RESULTS.topicName(),
                    upload.uploadId().toString(), value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Patients' users, by patient: whose a FHIR source is. */
    static final Map<Long, Long> PATIENT_USERS = Map.of(40001L, 10006L, 40002L, 10007L);

    /**
     * A reference indexing: the source's patient's own is answered with its resources as the rows indexed (the
     * rewriting is ingest-service's, tested there); anyone else's source is 404.
     */
    private static EntryOutcome indexRefs(long user, UploadEntry entry) {
        Long patient = entry.fhirSourceId() == null ? null : SOURCES.get(entry.fhirSourceId());
        if (patient == null || PATIENT_USERS.get(patient) != user) {
            return EntryOutcome.failed(404, "not-found", "FhirSource " + entry.fhirSourceId()
                    + " is not one of yours.");
        }
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", null);
                PreparedStatement count = db.prepareStatement(
                        "SELECT count(*) FROM ingest.fhir_resource WHERE fhir_source_id = ?")) {
            count.setLong(1, entry.fhirSourceId());
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return EntryOutcome.indexed(new EntryOutcome.RefsIndexed(rows.getInt(1), 0, 0));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A deletion: the named observation goes when it exists (its owner is ingest-service's question, not fhir's). */
    private static EntryOutcome delete(UploadEntry entry) {
        long id = Long.parseLong(entry.url().substring("Observation/".length()));
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", null);
                PreparedStatement delete = db.prepareStatement("DELETE FROM ingest.observation WHERE id = ?")) {
            delete.setLong(1, id);
            return delete.executeUpdate() == 1 ? EntryOutcome.deleted(id)
                    : EntryOutcome.failed(404, "not-found", "Observation/" + id + " is not an observation of yours.");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** FHIR sources of the demo data: id → patient. */
    static final Map<Long, Long> SOURCES = Map.of(90001L, 40001L, 90002L, 40002L);
    /** Users that may write each patient's resources: the patient, and Mary and Megan of its organization. */
    static final Map<Long, Set<Long>> WRITERS = Map.of(40001L, Set.of(10006L, 10002L, 10003L), 40002L,
            Set.of(10007L, 10002L, 10003L));

    /** An entry of the FHIR resource store: any write but the create of an Open mHealth Observation. */
    static boolean isStoreEntry(UploadEntry entry) {
        if (entry.url() == null || entry.method() == null) {
            return false;
        }
        if (!entry.url().startsWith("Observation")) {
            return true;
        }
        return !"POST".equals(entry.method()) || entry.resource() != null
                && !entry.resource().path("code").path("coding").path(0).path("system").asText()
                        .equals("https://w3id.org/openmhealth");
    }

    /**
     * A write of the FHIR resource store, as ingest-service decides and stores it (its rules are ingest-service's
     * tests'): the source's patient, the writer's right, a QuestionnaireResponse's required {@code status},
     * If-Match, versions.
     */
    private static final Set<String> QR_STATUSES = Set.of("in-progress", "completed", "amended", "entered-in-error",
            "stopped");

    private static EntryOutcome writeToStore(long user, UploadEntry entry) {
        String[] url = entry.url().split("/");
        String type = url[0];
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", null)) {
            if ("POST".equals(entry.method())) {
                Long source = entry.fhirSourceId();
                String metaSource = entry.resource().path("meta").path("source").asText("");
                if (source == null && metaSource.startsWith("https://jupyterhealth.org/fhir/fhir-source/")) {
                    source = Long.valueOf(metaSource.substring(metaSource.lastIndexOf('/') + 1));
                }
                if (source == null) {
                    return EntryOutcome.failedAt(400, "invalid", "A FHIR source is required.", type + ".meta.source");
                }
                Long patient = SOURCES.get(source);
                if (patient == null) {
                    return EntryOutcome.failedAt(400, "invalid", "FhirSource '" + source + "' does not exist.",
                            type + ".meta.source");
                }
                if (!WRITERS.get(patient).contains(user)) {
                    return EntryOutcome.failed(403, "forbidden", "Current user doesn't have access to the Patient.");
                }
                if (type.equals("QuestionnaireResponse") && !entry.resource().has("status")) {
                    return EntryOutcome.failedAt(400, "invalid", "The resource is not a valid FHIR R5 resource: "
                            + type + ".status is required.", type + ".status");
                }
                UUID id = UUID.randomUUID();
                ((com.fasterxml.jackson.databind.node.ObjectNode) entry.resource()).putObject("meta")
                        .put("source", "https://jupyterhealth.org/fhir/fhir-source/" + source);
                try (PreparedStatement insert = db.prepareStatement("INSERT INTO ingest.fhir_resource (id, "
                        + "resource_type, patient_id, fhir_source_id, version_id, status, resource, upload_id, "
                        + "written_by_user_id) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)")) {
                    insert.setObject(1, id);
                    insert.setString(2, type);
                    insert.setLong(3, patient);
                    insert.setLong(4, source);
                    insert.setString(5, entry.resource().has("status")
                            ? entry.resource().path("status").asText() : null);
                    insert.setString(6, entry.resource().toString());
                    insert.setObject(7, UUID.randomUUID());
                    insert.setLong(8, user);
                    insert.executeUpdate();
                }
                return EntryOutcome.stored(201, type, id.toString(), 1);
            }
            UUID id = UUID.fromString(url[1]);
            long version;
            long patient;
            try (PreparedStatement find = db.prepareStatement(
                    "SELECT version_id, patient_id FROM ingest.fhir_resource WHERE id = ? AND resource_type = ?")) {
                find.setObject(1, id);
                find.setString(2, type);
                try (var rows = find.executeQuery()) {
                    if (!rows.next()) {
                        return EntryOutcome.failed(404, "not-found", type + "/" + id + " is not known.");
                    }
                    version = rows.getLong(1);
                    patient = rows.getLong(2);
                }
            }
            if (!WRITERS.get(patient).contains(user)) {
                return EntryOutcome.failed(403, "forbidden", "Current user doesn't have access to the Patient.");
            }
            if (entry.ifMatch() != null && !entry.ifMatch().equals("W/\"" + version + "\"")) {
                return EntryOutcome.failed(412, "conflict", "If-Match names another version.");
            }
            if (!"DELETE".equals(entry.method()) && type.equals("QuestionnaireResponse")
                    && !QR_STATUSES.contains(entry.resource().path("status").asText())) {
                // as ingest-service's HAPI FHIR check names the element (its ResourceCheckerTest)
                return EntryOutcome.failedAt(400, "invalid", "The resource is not a valid FHIR R5 resource: "
                        + type + ".status is required and must be one of " + QR_STATUSES + ".", type + ".status");
            }
            if ("DELETE".equals(entry.method())) {
                try (PreparedStatement delete = db.prepareStatement("DELETE FROM ingest.fhir_resource WHERE id = ?")) {
                    delete.setObject(1, id);
                    delete.executeUpdate();
                }
                return EntryOutcome.stored(204, type, id.toString(), version);
            }
            try (PreparedStatement update = db.prepareStatement("UPDATE ingest.fhir_resource SET version_id = "
                    + "version_id + 1, last_updated = clock_timestamp(), resource = ? WHERE id = ?")) {
                update.setString(1, entry.resource().toString());
                update.setObject(2, id);
                update.executeUpdate();
            }
            return EntryOutcome.stored(200, type, id.toString(), version + 1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static EntryOutcome decide(UploadEntry entry) {
        try {
            JsonNode resource = entry.resource();
            if (!resource.path("subject").path("reference").asText().startsWith("Patient/")) {
                return EntryOutcome.failed(400, "invalid",
                        "Subject is required and must be a reference to a Patient ID and start with 'Patient/'");
            }
            String code = resource.path("code").path("coding").path(0).path("code").asText();
            if (Set.of("omh:blood-glucose:4.0", "omh:body-temperature:4.0", "omh:oxygen-saturation:2.0",
                    "omh:respiratory-rate:2.0").contains(code)) {
                return EntryOutcome.failed(403, "forbidden", "Observation data with coding_system="
                        + "https://w3id.org/openmhealth coding_code=" + code
                        + " has not been consented for any studies by this Patient.");
            }
            return EntryOutcome.created(IDS.incrementAndGet());
        } catch (Exception e) {
            return EntryOutcome.failed(400, "invalid", "The resource is not a valid FHIR R5 resource.");
        }
    }

    private static void record(UploadEnvelope upload, UploadResult result, String value) throws SQLException {
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", null);
                PreparedStatement insert = db.prepareStatement("""
                        INSERT INTO ingest.upload (upload_id, uploader_user_id, bundle_type, status, entry_count,
                                                   stored_count, result, received_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?) ON CONFLICT DO NOTHING""")) {
            insert.setObject(1, upload.uploadId());
            insert.setLong(2, upload.uploaderUserId());
            insert.setString(3, upload.bundleType());
            insert.setInt(4, result.status());
            insert.setInt(5, upload.entries().size());
            insert.setInt(6, (int) result.storedCount());
            insert.setString(7, value);
            insert.setTimestamp(8, Timestamp.from(upload.receivedAt()));
            insert.executeUpdate();
        }
    }

    /** ingest-service's upload table, as its migrations create it, when ingest-service has not migrated here. */
    private static void createUploadStore() {
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", null);
                Statement sql = db.createStatement()) {
            sql.execute("""
                    DO $$
                    BEGIN
                        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'jhe_observation_reader') THEN
                            CREATE ROLE jhe_observation_reader NOLOGIN;
                        END IF;
                    END
                    $$""");
            sql.execute("CREATE SCHEMA IF NOT EXISTS ingest");
            sql.execute("""
                    CREATE TABLE IF NOT EXISTS ingest.upload (
                        upload_id UUID PRIMARY KEY, uploader_user_id BIGINT NOT NULL, bundle_type VARCHAR(16) NOT NULL,
                        status SMALLINT NOT NULL, entry_count INTEGER NOT NULL, stored_count INTEGER NOT NULL,
                        result JSONB NOT NULL, received_at TIMESTAMPTZ NOT NULL,
                        processed_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())""");
            sql.execute("GRANT USAGE ON SCHEMA ingest TO jhe_observation_reader");
            sql.execute("GRANT SELECT ON ingest.upload TO jhe_observation_reader");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the upload store", e);
        }
    }
}
