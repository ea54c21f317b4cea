package org.jupyterhealth.exchange.ingest.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.HEART_RATE;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.JSON;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.MARK;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.MEGAN;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.PAMELA;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.PETER;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.PETER_USER;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.observation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.events.AdminEvent;
import org.jupyterhealth.exchange.common.kafka.Topic;
import org.jupyterhealth.exchange.common.testing.ContractCheck;
import org.jupyterhealth.exchange.common.upload.EntryOutcome;
import org.jupyterhealth.exchange.common.upload.UploadEntry;
import org.jupyterhealth.exchange.common.upload.UploadEnvelope;
import org.jupyterhealth.exchange.common.upload.UploadResult;
import org.jupyterhealth.exchange.ingest.upload.StandInAdmin;
import org.jupyterhealth.exchange.ingest.upload.UploadTopics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes of the FHIR resource store through the real broker and database: creates, upserts by the source's own id,
 * updates with If-Match, deletes; the source decides the patient, admin-service the right and the consent.
 */
@QuarkusTest
@QuarkusTestResource(StandInAdmin.class)
class ResourceIngestTest {
    static final long PETERS_SOURCE = 90001, PAMELAS_SOURCE = 90002, PAMELAS_USER = 10007;
    static UploadTopics topics;

    @Inject
    Pool pool;

    @BeforeAll
    static void connect() {
        topics = new UploadTopics();
    }

    @AfterAll
    static void disconnect() {
        topics.close();
    }

    @AfterEach
    void restore() {
        StandInAdmin.WITHDRAWN.clear();
        StandInAdmin.FAILING.set(false);
    }

    static ObjectNode questionnaireResponse(String status) {
        ObjectNode resource = JSON.createObjectNode();
        resource.put("resourceType", "QuestionnaireResponse");
        resource.put("status", status);
        resource.put("questionnaire", "https://example.org/Questionnaire/phq-9");
        resource.put("authored", "2025-03-01T10:00:00Z");
        resource.putArray("item").addObject().put("linkId", "1").putArray("answer").addObject()
                .put("valueInteger", 2);
        return resource;
    }

    static UploadEnvelope upload(long user, String type, UploadEntry... entries) {
        return new UploadEnvelope(UploadEnvelope.CURRENT_VERSION, UUID.randomUUID(), user, type, Instant.now(),
                "test-request", List.of(entries));
    }

    static UploadEntry create(JsonNode resource, Long source) {
        return new UploadEntry(resource, "POST", resource.get("resourceType").asText(), null, source);
    }

    UploadResult ingest(UploadEnvelope upload) {
        topics.send(upload);
        return topics.awaitResult(upload.uploadId());
    }

    Row stored(String id) {
        RowSet<Row> rows = pool.preparedQuery("SELECT patient_id, fhir_source_id, version_id, resource, status, "
                + "clinical_date, upstream_id FROM ingest.fhir_resource WHERE id = $1")
                .execute(Tuple.of(UUID.fromString(id))).await().indefinitely();
        return rows.size() == 0 ? null : rows.iterator().next();
    }

    List<String> tokens(String id) {
        List<String> found = new ArrayList<>();
        pool.preparedQuery("SELECT name || '=' || system || '|' || value FROM ingest.fhir_resource_token "
                + "WHERE resource_id = $1 ORDER BY 1").execute(Tuple.of(UUID.fromString(id))).await().indefinitely()
                .forEach(row -> found.add(row.getString(0)));
        return found;
    }

    @Test
    void aPatientCreatesAQuestionnaireResponseThroughItsSourceWithItsSearchValues() throws Exception {
        UploadResult result = ingest(upload(PETER_USER, "batch", create(questionnaireResponse("completed"),
                PETERS_SOURCE)));

        EntryOutcome outcome = result.entries().get(0);
        assertThat(outcome.status()).isEqualTo(201);
        assertThat(outcome.resourceType()).isEqualTo("QuestionnaireResponse");
        assertThat(outcome.versionId()).isEqualTo(1L);
        Row row = stored(outcome.resourceId());
        assertThat(row.getLong(0)).isEqualTo(PETER);
        assertThat(row.getLong(1)).isEqualTo(PETERS_SOURCE);
        JsonNode resource = JSON.readTree(row.getString(3));
        assertThat(resource.get("meta").get("source").asText())
                .isEqualTo("https://jupyterhealth.org/fhir/fhir-source/90001");
        assertThat(resource.get("extension").get(0).get("url").asText())
                .isEqualTo("https://jupyterhealth.org/fhir/StructureDefinition/patient-id");
        assertThat(resource.get("extension").get(0).get("valueInteger").asLong()).isEqualTo(PETER);
        assertThat(resource.has("id")).isFalse();
        assertThat(row.getString(4)).isEqualTo("completed");
        assertThat(row.getOffsetDateTime(5).toInstant()).isEqualTo(Instant.parse("2025-03-01T10:00:00Z"));
        assertThat(tokens(outcome.resourceId())).containsExactly(
                "questionnaire=|https://example.org/Questionnaire/phq-9", "status=|completed");
    }

    @Test
    void indexingASourceRewritesItsResourcesReferencesToTheStoresIdsOnceAndOnlyForItsPatient() throws Exception {
        // whatever earlier tests left unindexed is indexed first, so that the counts below are this test's
        ingest(UploadEnvelope.indexRefs(PETER_USER, PETERS_SOURCE, "test-request"));
        String upstream = "qr-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode first = questionnaireResponse("completed");
        first.put("id", upstream);
        ObjectNode second = questionnaireResponse("completed");
        second.put("id", upstream + "-b");
        second.putObject("subject").put("reference", "Patient/missing");
        second.putObject("source").put("reference", "https://other.example.org/Practitioner/7");
        ((ObjectNode) second.get("item").get(0).get("answer").get(0)).remove("valueInteger");
        ((ObjectNode) second.get("item").get(0).get("answer").get(0)).putObject("valueReference")
                .put("reference", "QuestionnaireResponse/" + upstream);
        UploadResult written = ingest(upload(PETER_USER, "batch", create(first, PETERS_SOURCE),
                create(second, PETERS_SOURCE)));
        String firstId = written.entries().get(0).resourceId();
        String secondId = written.entries().get(1).resourceId();

        UploadResult pamelas = ingest(UploadEnvelope.indexRefs(PAMELAS_USER, PETERS_SOURCE, "test-request"));
        assertThat(pamelas.entries().get(0).status()).isEqualTo(404);
        assertThat(ingest(UploadEnvelope.indexRefs(PETER_USER, 99999, "test-request")).entries().get(0).status())
                .isEqualTo(404);
        assertThat(stored(secondId).getLong(2)).isEqualTo(1L);

        UploadResult indexed = ingest(UploadEnvelope.indexRefs(PETER_USER, PETERS_SOURCE, "test-request"));
        assertThat(indexed.entries().get(0).status()).isEqualTo(200);
        assertThat(indexed.entries().get(0).refsIndexed()).isEqualTo(new EntryOutcome.RefsIndexed(2, 1, 1));
        JsonNode rewritten = JSON.readTree(stored(secondId).getString(3));
        assertThat(rewritten.at("/item/0/answer/0/valueReference/reference").asText())
                .isEqualTo("QuestionnaireResponse/" + firstId);
        assertThat(rewritten.at("/subject/reference").asText()).isEqualTo("not-found:missing");
        assertThat(rewritten.at("/source/reference").asText()).isEqualTo("https://other.example.org/Practitioner/7");
        assertThat(stored(secondId).getLong(2)).isEqualTo(2L);
        assertThat(stored(firstId).getLong(2)).isEqualTo(1L);

        // indexed once: nothing to do again until a resource is written again
        UploadResult again = ingest(UploadEnvelope.indexRefs(PETER_USER, PETERS_SOURCE, "test-request"));
        assertThat(again.entries().get(0).refsIndexed()).isEqualTo(new EntryOutcome.RefsIndexed(0, 0, 0));
        ingest(upload(PETER_USER, "batch", create(second, PETERS_SOURCE)));
        UploadResult rewrittenAgain = ingest(UploadEnvelope.indexRefs(PETER_USER, PETERS_SOURCE, "test-request"));
        assertThat(rewrittenAgain.entries().get(0).refsIndexed()).isEqualTo(new EntryOutcome.RefsIndexed(1, 1, 1));
    }

    @Test
    void deletingASourceDeletesTheResourcesWrittenThroughItAndTheirTokensOnly() throws Exception {
        UploadResult pamelas = ingest(upload(PAMELAS_USER, "batch", create(questionnaireResponse("completed"),
                PAMELAS_SOURCE)));
        UploadResult peters = ingest(upload(PETER_USER, "batch", create(questionnaireResponse("completed"),
                PETERS_SOURCE)));
        String pamelasId = pamelas.entries().get(0).resourceId();
        String petersId = peters.entries().get(0).resourceId();
        assertThat(tokens(pamelasId)).isNotEmpty();

        String event = JSON.writer().without(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsString(
                new AdminEvent(AdminEvent.Type.FHIR_SOURCE_DELETED, PAMELA, null, null, null, Instant.now(),
                        PAMELAS_SOURCE));
        ContractCheck.assertMessage("AdminEvent", event);
        topics.sendTo(Topic.ADMIN_EVENTS.topicName(), Long.toString(PAMELA), event);

        await().atMost(Duration.ofSeconds(20)).until(() -> stored(pamelasId) == null);
        assertThat(tokens(pamelasId)).isEmpty();
        assertThat(stored(petersId)).isNotNull();
        assertThat(tokens(petersId)).isNotEmpty();
    }

    @Test
    void theSourceComesFromMetaSourceWhenNoHeaderNamesOneAndIsRequired() {
        ObjectNode named = questionnaireResponse("completed");
        named.putObject("meta").put("source", "https://jupyterhealth.org/fhir/fhir-source/90001");

        UploadResult result = ingest(upload(PETER_USER, "batch", create(named, null),
                create(questionnaireResponse("completed"), null), create(questionnaireResponse("completed"), 99999L)));

        assertThat(result.entries()).extracting(EntryOutcome::status).containsExactly(201, 400, 400);
        assertThat(result.entries().get(1).diagnostics()).startsWith("A FHIR source is required");
        assertThat(result.entries().get(2).diagnostics()).isEqualTo("FhirSource '99999' does not exist.");
    }

    @Test
    void aPatientMayNotWriteThroughAnotherPatientsSourceNorAPractitionerOfAnotherOrganization() {
        UploadResult result = ingest(upload(PETER_USER, "batch", create(questionnaireResponse("completed"),
                PAMELAS_SOURCE)));
        UploadResult other = ingest(upload(MARK, "batch", create(questionnaireResponse("completed"),
                PETERS_SOURCE)));
        UploadResult member = ingest(upload(MEGAN, "batch", create(questionnaireResponse("completed"),
                PETERS_SOURCE)));

        assertThat(result.entries().get(0).status()).isEqualTo(403);
        assertThat(other.entries().get(0).status()).isEqualTo(403);
        assertThat(member.entries().get(0).status()).isEqualTo(201);
    }

    /**
     * Patient, Group, Organization, Practitioner and Device stored by UUID follow the store's rules: another patient
     * and a practitioner of another organization may neither replace nor delete the patient's, which stays at its
     * version; a member practitioner of the patient's organization and the patient may.
     */
    @Test
    void theMappedTypesAreReplacedAndDeletedOnlyByThePatientOrAPermittedPractitioner() throws Exception {
        for (String type : List.of("Patient", "Group", "Organization", "Practitioner", "Device")) {
            ObjectNode resource = mapped(type, "Clinic");
            EntryOutcome created = ingest(upload(PETER_USER, "batch", create(resource, PETERS_SOURCE))).entries()
                    .get(0);
            assertThat(created.status()).as(type + ": " + created.diagnostics()).isEqualTo(201);
            String id = created.resourceId();
            UploadEntry replace = new UploadEntry(mapped(type, "Taken over"), "PUT", type + "/" + id, null, null);
            UploadEntry delete = new UploadEntry(null, "DELETE", type + "/" + id, null, null);

            for (long other : new long[] { PAMELAS_USER, MARK }) {
                UploadResult refused = ingest(upload(other, "batch", replace, delete));
                assertThat(refused.entries()).as(type + " by " + other).extracting(EntryOutcome::status)
                        .containsExactly(403, 403);
                assertThat(refused.entries()).extracting(EntryOutcome::issueCode).containsOnly("forbidden");
            }
            Row kept = stored(id);
            assertThat(kept.getLong(2)).as(type).isEqualTo(1L);
            assertThat(kept.getString(3)).as(type).contains("Clinic").doesNotContain("Taken over");

            EntryOutcome replaced = ingest(upload(MEGAN, "batch", replace)).entries().get(0);
            assertThat(replaced.status()).as(type).isEqualTo(200);
            assertThat(replaced.versionId()).isEqualTo(2L);
            assertThat(ingest(upload(PETER_USER, "batch", delete)).entries().get(0).status()).as(type)
                    .isEqualTo(204);
            assertThat(stored(id)).as(type).isNull();
        }
    }

    /**
     * The smallest valid resource of each of the store's other types (what R5 requires of it, the patient's own
     * references where it names one): created, replaced and deleted by its patient, never by another patient.
     */
    static final Map<String, String> MINIMAL = Map.ofEntries(
            Map.entry("AllergyIntolerance", "{\"patient\": {\"reference\": \"Patient/40001\"}}"),
            Map.entry("CarePlan", "{\"status\": \"active\", \"intent\": \"plan\", "
                    + "\"subject\": {\"reference\": \"Patient/40001\"}}"),
            Map.entry("CareTeam", "{\"name\": \"Diabetes team\"}"),
            Map.entry("Condition", "{\"clinicalStatus\": {\"coding\": [{\"system\": "
                    + "\"http://terminology.hl7.org/CodeSystem/condition-clinical\", \"code\": \"active\"}]}, "
                    + "\"subject\": {\"reference\": \"Patient/40001\"}}"),
            Map.entry("Coverage", "{\"status\": \"active\", \"kind\": \"insurance\", "
                    + "\"beneficiary\": {\"reference\": \"Patient/40001\"}}"),
            Map.entry("DiagnosticReport", "{\"status\": \"final\", \"code\": {\"text\": \"Lipid panel\"}}"),
            Map.entry("DocumentReference", "{\"status\": \"current\", \"content\": [{\"attachment\": "
                    + "{\"contentType\": \"text/plain\", \"title\": \"Discharge letter\"}}]}"),
            Map.entry("Encounter", "{\"status\": \"completed\"}"),
            Map.entry("Goal", "{\"lifecycleStatus\": \"active\", \"description\": {\"text\": \"Walk daily\"}, "
                    + "\"subject\": {\"reference\": \"Patient/40001\"}}"),
            Map.entry("Immunization", "{\"status\": \"completed\", \"vaccineCode\": {\"text\": \"Influenza\"}, "
                    + "\"patient\": {\"reference\": \"Patient/40001\"}, \"occurrenceDateTime\": \"2025-10-01\"}"),
            Map.entry("Location", "{\"name\": \"Home\"}"),
            Map.entry("Medication", "{\"code\": {\"text\": \"Metformin 500 mg\"}}"),
            Map.entry("MedicationDispense", "{\"status\": \"completed\", \"medication\": {\"concept\": "
                    + "{\"text\": \"Metformin\"}}, \"subject\": {\"reference\": \"Patient/40001\"}}"),
            Map.entry("MedicationRequest", "{\"status\": \"active\", \"intent\": \"order\", \"medication\": "
                    + "{\"concept\": {\"text\": \"Metformin\"}}, \"subject\": {\"reference\": \"Patient/40001\"}}"),
            Map.entry("MedicationStatement", "{\"status\": \"recorded\", \"medication\": {\"concept\": "
                    + "{\"text\": \"Metformin\"}}, \"subject\": {\"reference\": \"Patient/40001\"}}"),
            Map.entry("PractitionerRole", "{\"active\": true}"),
            Map.entry("Provenance", "{\"target\": [{\"reference\": \"Patient/40001\"}], "
                    + "\"agent\": [{\"who\": {\"reference\": \"Patient/40001\"}}]}"),
            Map.entry("RelatedPerson", "{\"patient\": {\"reference\": \"Patient/40001\"}}"),
            Map.entry("ServiceRequest", "{\"status\": \"active\", \"intent\": \"order\", "
                    + "\"subject\": {\"reference\": \"Patient/40001\"}}"));

    static ObjectNode minimal(String type) throws Exception {
        ObjectNode resource = (ObjectNode) JSON.readTree(MINIMAL.get(type));
        resource.put("resourceType", type);
        return resource;
    }

    @Test
    void everyOtherTypeIsCreatedReplacedAndDeletedByItsPatientOnly() throws Exception {
        // QuestionnaireResponse, the UUID-addressed types and Observation have tests of their own above and below;
        // Procedure is the scope admin-service does not know here (the test of an unconsented type)
        assertThat(MINIMAL.keySet()).containsAll(org.jupyterhealth.exchange.common.fhir.ResourceStore.TYPES.stream()
                .filter(type -> !List.of("QuestionnaireResponse", "Patient", "Group", "Organization", "Practitioner",
                        "Device", "Observation", "Procedure").contains(type))
                .toList());
        for (String type : MINIMAL.keySet().stream().sorted().toList()) {
            EntryOutcome created = ingest(upload(PETER_USER, "batch", create(minimal(type), PETERS_SOURCE)))
                    .entries().get(0);
            assertThat(created.status()).as(type + ": " + created.diagnostics()).isEqualTo(201);
            assertThat(created.resourceType()).isEqualTo(type);
            String id = created.resourceId();
            assertThat(stored(id).getLong(0)).as(type).isEqualTo(PETER);

            ObjectNode changed = minimal(type);
            changed.put("language", "en");
            UploadEntry replace = new UploadEntry(changed, "PUT", type + "/" + id, null, null);
            UploadEntry delete = new UploadEntry(null, "DELETE", type + "/" + id, null, null);
            UploadResult refused = ingest(upload(PAMELAS_USER, "batch", replace, delete));
            assertThat(refused.entries()).as(type + " by another patient").extracting(EntryOutcome::status)
                    .containsExactly(403, 403);
            assertThat(stored(id).getLong(2)).as(type).isEqualTo(1L);

            EntryOutcome replaced = ingest(upload(PETER_USER, "batch", replace)).entries().get(0);
            assertThat(replaced.status()).as(type + ": " + replaced.diagnostics()).isEqualTo(200);
            assertThat(replaced.versionId()).as(type).isEqualTo(2L);
            assertThat(JSON.readTree(stored(id).getString(3)).path("language").asText()).as(type).isEqualTo("en");

            assertThat(ingest(upload(PETER_USER, "batch", delete)).entries().get(0).status()).as(type)
                    .isEqualTo(204);
            assertThat(stored(id)).as(type).isNull();
        }
    }

    /**
     * The UUID-addressed types in a Bundle with an Open mHealth Observation, each entry stored once, and the same
     * upload delivered again answered as before without a second row.
     */
    @Test
    void theMappedTypesMixWithObservationsInABundleAndARedeliveryStoresNothingTwice() throws Exception {
        List<UploadEntry> entries = new ArrayList<>();
        entries.add(new UploadEntry(observation(PETER, HEART_RATE), "POST", "Observation"));
        for (String type : List.of("Patient", "Group", "Organization", "Practitioner", "Device")) {
            entries.add(create(mapped(type, "Mixed"), PETERS_SOURCE));
        }
        UploadEnvelope upload = upload(PETER_USER, "batch", entries.toArray(UploadEntry[]::new));

        UploadResult first = ingest(upload);
        topics.send(upload);
        UploadResult second = ingestAgain(upload);

        assertThat(first.entries()).extracting(EntryOutcome::status).containsExactly(201, 201, 201, 201, 201, 201);
        assertThat(first.entries().subList(1, 6)).extracting(EntryOutcome::resourceType)
                .containsExactly("Patient", "Group", "Organization", "Practitioner", "Device");
        assertThat(second.entries()).isEqualTo(first.entries());
        long rows = pool.preparedQuery("SELECT count(*) FROM ingest.fhir_resource WHERE upload_id = $1")
                .execute(Tuple.of(upload.uploadId())).await().indefinitely().iterator().next().getLong(0);
        assertThat(rows).isEqualTo(5);
    }

    static ObjectNode mapped(String type, String name) throws Exception {
        String names = type.equals("Patient") || type.equals("Practitioner") ? "[{\"family\": \"" + name + "\"}]"
                : type.equals("Device") ? "[{\"value\": \"" + name + "\", \"type\": \"user-friendly-name\"}]"
                        : "\"" + name + "\"";
        return (ObjectNode) JSON.readTree("{\"resourceType\": \"" + type + "\", \"name\": " + names
                + (type.equals("Group") ? ", \"type\": \"person\", \"membership\": \"enumerated\"" : "") + "}");
    }

    @Test
    void aWithdrawnConsentRefusesTheWriteAndAnUnconsentedTypeToo() {
        StandInAdmin.WITHDRAWN.add(PETER + "|QuestionnaireResponse");
        // a type whose scope no study requests (Peter's Conditions are consented here, for their search values)
        ObjectNode procedure = JSON.createObjectNode().put("resourceType", "Procedure").put("status", "completed");
        procedure.putObject("subject").put("reference", "Patient/40001");

        UploadResult result = ingest(upload(PETER_USER, "batch", create(questionnaireResponse("completed"),
                PETERS_SOURCE), create(procedure, PETERS_SOURCE)));

        assertThat(result.entries()).extracting(EntryOutcome::status).containsExactly(403, 400);
        assertThat(result.entries().get(1).diagnostics()).startsWith("Code not found");
    }

    @Test
    void anInvalidResourceIsRefusedNamingThePath() {
        ObjectNode missingStatus = questionnaireResponse("completed");
        missingStatus.remove("status");
        ObjectNode unknownElement = questionnaireResponse("completed");
        unknownElement.put("colour", "blue");
        ObjectNode wrongType = questionnaireResponse("completed");
        wrongType.put("authored", 12);

        UploadResult result = ingest(upload(PETER_USER, "batch", create(missingStatus, PETERS_SOURCE),
                create(unknownElement, PETERS_SOURCE), create(wrongType, PETERS_SOURCE)));

        assertThat(result.entries()).extracting(EntryOutcome::status).containsExactly(400, 400, 400);
        assertThat(result.entries().get(0).expression()).isEqualTo("QuestionnaireResponse.status");
        assertThat(result.entries().get(1).diagnostics()).contains("colour");
        assertThat(result.entries().get(2).expression()).isEqualTo("QuestionnaireResponse.authored");
    }

    @Test
    void theSourcesOwnIdUpdatesTheResourceInPlaceAndUpdatesCheckIfMatch() {
        ObjectNode first = questionnaireResponse("in-progress");
        String upstream = "qr-" + UUID.randomUUID();
        first.put("id", upstream);
        String id = ingest(upload(PETER_USER, "batch", create(first, PETERS_SOURCE))).entries().get(0).resourceId();
        ObjectNode again = first.deepCopy().put("status", "completed");

        EntryOutcome upserted = ingest(upload(PETER_USER, "batch", create(again, PETERS_SOURCE))).entries().get(0);

        assertThat(upserted.status()).isEqualTo(200);
        assertThat(upserted.resourceId()).isEqualTo(id);
        assertThat(upserted.versionId()).isEqualTo(2L);
        assertThat(stored(id).getString(6)).isEqualTo(upstream);
        assertThat(tokens(id)).contains("status=|completed").doesNotContain("status=|in-progress");

        ObjectNode replacement = questionnaireResponse("amended");
        EntryOutcome stale = ingest(upload(PETER_USER, "batch", new UploadEntry(replacement,
                "PUT", "QuestionnaireResponse/" + id, "W/\"1\"", null))).entries().get(0);
        EntryOutcome updated = ingest(upload(PETER_USER, "batch", new UploadEntry(replacement,
                "PUT", "QuestionnaireResponse/" + id, "W/\"2\"", null))).entries().get(0);

        assertThat(stale.status()).isEqualTo(412);
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.versionId()).isEqualTo(3L);
        assertThat(stored(id).getString(4)).isEqualTo("amended");
    }

    /** The counter of stored resources of a patient, type and status (fhir-service's search totals). */
    long counted(String status) {
        RowSet<Row> rows = pool.preparedQuery("SELECT resources FROM ingest.fhir_resource_count WHERE patient_id = $1 "
                + "AND resource_type = 'QuestionnaireResponse' AND status = $2").execute(Tuple.of(PETER, status))
                .await().indefinitely();
        return rows.size() == 0 ? 0 : rows.iterator().next().getLong(0);
    }

    /** The keys whose counter differs from the number of stored resources. */
    long miscounted() {
        return pool.preparedQuery("SELECT count(*) FROM (SELECT patient_id, resource_type, coalesce(status, '') AS "
                + "status, count(*) AS n FROM ingest.fhir_resource GROUP BY 1, 2, 3) r FULL JOIN "
                + "ingest.fhir_resource_count c USING (patient_id, resource_type, status) "
                + "WHERE coalesce(r.n, 0) <> coalesce(c.resources, 0)").execute().await().indefinitely().iterator()
                .next().getLong(0);
    }

    @Test
    void theCountersPerPatientTypeAndStatusFollowCreatesUpsertsUpdatesAndDeletes() {
        long inProgress = counted("in-progress"), completed = counted("completed"), amended = counted("amended");
        ObjectNode first = questionnaireResponse("in-progress");
        first.put("id", "qr-" + UUID.randomUUID());
        String id = ingest(upload(PETER_USER, "batch", create(first, PETERS_SOURCE))).entries().get(0).resourceId();
        assertThat(counted("in-progress")).isEqualTo(inProgress + 1);

        ingest(upload(PETER_USER, "batch", create(first.deepCopy().put("status", "completed"), PETERS_SOURCE)));
        assertThat(counted("in-progress")).isEqualTo(inProgress);
        assertThat(counted("completed")).isEqualTo(completed + 1);

        ingest(upload(PETER_USER, "batch", new UploadEntry(questionnaireResponse("amended"), "PUT",
                "QuestionnaireResponse/" + id, "W/\"2\"", null)));
        assertThat(counted("completed")).isEqualTo(completed);
        assertThat(counted("amended")).isEqualTo(amended + 1);

        ingest(upload(PETER_USER, "batch", new UploadEntry(null, "DELETE", "QuestionnaireResponse/" + id, null,
                null)));
        assertThat(counted("amended")).isEqualTo(amended);
        assertThat(miscounted()).isZero();
    }

    @Test
    void deletesRemoveTheResourceAndItsTokensAndRecordTheDeletion() {
        String id = ingest(upload(PETER_USER, "batch", create(questionnaireResponse("completed"),
                PETERS_SOURCE))).entries().get(0).resourceId();
        UploadEntry delete = new UploadEntry(null, "DELETE", "QuestionnaireResponse/" + id, null, null);

        EntryOutcome refused = ingest(upload(MARK, "batch", delete)).entries().get(0);
        EntryOutcome deleted = ingest(upload(PETER_USER, "batch", delete)).entries().get(0);
        EntryOutcome again = ingest(upload(PETER_USER, "batch", delete)).entries().get(0);

        assertThat(refused.status()).isEqualTo(403);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(again.status()).isEqualTo(404);
        assertThat(stored(id)).isNull();
        assertThat(tokens(id)).isEmpty();
        long recorded = pool.preparedQuery("SELECT count(*) FROM ingest.fhir_resource_deletion WHERE resource_id = $1")
                .execute(Tuple.of(UUID.fromString(id))).await().indefinitely().iterator().next().getLong(0);
        assertThat(recorded).isEqualTo(1);
    }

    @Test
    void aBundleMixesOpenMHealthObservationsAndStoreResourcesAndATransactionIsAllOrNothing() {
        ObjectNode loinc = JSON.createObjectNode().put("resourceType", "Observation").put("status", "final");
        loinc.putObject("code").putArray("coding").addObject().put("system", "http://loinc.org").put("code", "8867-4");

        UploadResult batch = ingest(upload(PETER_USER, "batch", new UploadEntry(observation(PETER, HEART_RATE),
                "POST", "Observation"), create(questionnaireResponse("completed"), PETERS_SOURCE),
                create(loinc, PETERS_SOURCE)));
        UploadResult transaction = ingest(upload(PETER_USER, "transaction", new UploadEntry(
                observation(PETER, HEART_RATE), "POST", "Observation"), create(questionnaireResponse("completed"),
                PAMELAS_SOURCE)));

        assertThat(batch.entries()).extracting(EntryOutcome::status).containsExactly(201, 201, 400);
        assertThat(batch.entries().get(0).observationId()).isNotNull();
        assertThat(batch.entries().get(1).resourceId()).isNotNull();
        // the LOINC Observation belongs to the store, whose scope for Observation is not a known code
        assertThat(batch.entries().get(2).diagnostics()).startsWith("Code not found");
        assertThat(transaction.status()).isEqualTo(403);
        assertThat(transaction.entries()).extracting(EntryOutcome::status).containsExactly(424, 403);
    }

    @Test
    void aRedeliveredUploadIsAnsweredAsBeforeAndStoresNothingTwice() {
        UploadEnvelope upload = upload(PETER_USER, "batch", create(questionnaireResponse("completed"),
                PETERS_SOURCE));

        UploadResult first = ingest(upload);
        topics.send(upload);
        UploadResult second = topics.resultRecords(upload.uploadId()).size() > 1
                ? UploadTopics.read(topics.resultRecords(upload.uploadId()).get(1)) : ingestAgain(upload);

        assertThat(second.entries()).isEqualTo(first.entries());
        long rows = pool.preparedQuery("SELECT count(*) FROM ingest.fhir_resource WHERE upload_id = $1")
                .execute(Tuple.of(upload.uploadId())).await().indefinitely().iterator().next().getLong(0);
        assertThat(rows).isEqualTo(1);
    }

    private UploadResult ingestAgain(UploadEnvelope upload) {
        org.awaitility.Awaitility.await().until(() -> topics.resultRecords(upload.uploadId()).size() > 1);
        return UploadTopics.read(topics.resultRecords(upload.uploadId()).get(1));
    }

    static final String CONDITION = """
            {"resourceType": "Condition",
             "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/condition-assertedDate",
                            "valueDateTime": "2024-12-31T23:00:00-02:00"}],
             "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                            "code": "active"}]},
             "subject": {"reference": "Patient/abc"},
             "encounter": {"reference": "Encounter/e-1"},
             "onsetDateTime": "2020-05-01T08:30:00Z",
             "abatementPeriod": {"start": "2021-01-02T00:00:00Z"},
             "recordedDate": "2020-05-03"}
            """;
    static final List<String> CONDITION_TOKENS = List.of("abatement-date=|2021-01-02T00:00:00.000000Z",
            "asserted-date=|2025-01-01T01:00:00.000000Z",
            "clinical-status=http://terminology.hl7.org/CodeSystem/condition-clinical|active",
            "encounter=|Encounter/e-1", "onset-date=|2020-05-01T08:30:00.000000Z",
            "recorded-date=|2020-05-03T00:00:00.000000Z");

    @Test
    void aConditionIsStoredWithItsClinicalStatusEncounterAndDatesAsSearchValues() throws Exception {
        UploadResult result = ingest(upload(PETER_USER, "batch", create(JSON.readTree(CONDITION), PETERS_SOURCE)));

        EntryOutcome outcome = result.entries().get(0);
        assertThat(outcome.status()).as(outcome.toString()).isEqualTo(201);
        assertThat(tokens(outcome.resourceId())).containsExactlyElementsOf(CONDITION_TOKENS);
    }

    /**
     * V30 takes the same search values from the resources stored before it, as SearchValues does: run again here
     * over a Condition stored without them, in a transaction rolled back (the other tests' resources untouched).
     */
    @Test
    void theMigrationTakesTheSameSearchValuesFromAConditionStoredBefore() throws Exception {
        String script = java.nio.file.Files.readString(java.nio.file.Path.of(
                "src/main/resources/db/migration/V30__add_condition_search_values_to_stored_resources.sql"));
        UUID id = UUID.randomUUID();
        io.vertx.mutiny.sqlclient.SqlConnection connection = pool.getConnection().await().indefinitely();
        try {
            io.vertx.mutiny.sqlclient.Transaction transaction = connection.begin().await().indefinitely();
            connection.preparedQuery("INSERT INTO ingest.fhir_resource (id, resource_type, patient_id, fhir_source_id, "
                    + "version_id, resource, upload_id, written_by_user_id) VALUES ($1, 'Condition', $2, $3, 1, $4, "
                    + "$5, $6)").execute(Tuple.of(id, PETER, PETERS_SOURCE, CONDITION, UUID.randomUUID(), PETER_USER))
                    .await().indefinitely();
            connection.query("SET LOCAL search_path TO ingest; " + script).execute().await().indefinitely();
            List<String> found = new ArrayList<>();
            connection.preparedQuery("SELECT name || '=' || system || '|' || value FROM ingest.fhir_resource_token "
                    + "WHERE resource_id = $1 ORDER BY 1").execute(Tuple.of(id)).await().indefinitely()
                    .forEach(row -> found.add(row.getString(0)));
            transaction.rollback().await().indefinitely();

            assertThat(found).containsExactlyElementsOf(CONDITION_TOKENS);
        } finally {
            connection.close().await().indefinitely();
        }
    }

    static final String DEVICE = """
            {"resourceType": "Device",
             "name": [{"value": "Omron HEM-7600T", "type": "user-friendly-name"},
                      {"value": "BP7600", "type": "registered-name"}]}
            """;

    @Test
    void aDeviceIsStoredWithTheValuesOfItsNamesAsSearchValues() throws Exception {
        UploadResult result = ingest(upload(PETER_USER, "batch", create(JSON.readTree(DEVICE), PETERS_SOURCE)));

        EntryOutcome outcome = result.entries().get(0);
        assertThat(outcome.status()).as(outcome.toString()).isEqualTo(201);
        assertThat(tokens(outcome.resourceId())).containsExactly("name=|bp7600", "name=|omron hem-7600t");
    }

    /**
     * V31 takes a Device's names from the Devices stored before it, as SearchValues does, and not a second time from
     * one that has them: run again here over a Device stored without them and one stored with them, in a
     * transaction rolled back (the other tests' resources untouched).
     */
    @Test
    void theMigrationTakesTheNamesOfADeviceStoredBeforeAndNoneTwice() throws Exception {
        String script = java.nio.file.Files.readString(java.nio.file.Path.of(
                "src/main/resources/db/migration/V31__add_device_names_to_stored_resources.sql"));
        UUID before = UUID.randomUUID();
        UUID after = UUID.randomUUID();
        io.vertx.mutiny.sqlclient.SqlConnection connection = pool.getConnection().await().indefinitely();
        try {
            io.vertx.mutiny.sqlclient.Transaction transaction = connection.begin().await().indefinitely();
            for (UUID id : List.of(before, after)) {
                connection.preparedQuery("INSERT INTO ingest.fhir_resource (id, resource_type, patient_id, "
                        + "fhir_source_id, version_id, resource, upload_id, written_by_user_id) VALUES ($1, 'Device', "
                        + "$2, $3, 1, $4, $5, $6)").execute(Tuple.of(id, PETER, PETERS_SOURCE, DEVICE,
                                UUID.randomUUID(), PETER_USER)).await().indefinitely();
            }
            connection.preparedQuery("INSERT INTO ingest.fhir_resource_token (resource_id, resource_type, patient_id, "
                    + "name, system, value) VALUES ($1, 'Device', $2, 'name', '', 'bp7600'), "
                    + "($1, 'Device', $2, 'name', '', 'omron hem-7600t')").execute(Tuple.of(after, PETER))
                    .await().indefinitely();
            connection.query("SET LOCAL search_path TO ingest; " + script).execute().await().indefinitely();
            Map<UUID, List<String>> found = new HashMap<>();
            connection.preparedQuery("SELECT resource_id, name || '=' || system || '|' || value "
                    + "FROM ingest.fhir_resource_token WHERE resource_id = ANY($1) ORDER BY 2")
                    .execute(Tuple.of(new UUID[] { before, after })).await().indefinitely()
                    .forEach(row -> found.computeIfAbsent(row.getUUID(0), id -> new ArrayList<>())
                            .add(row.getString(1)));
            transaction.rollback().await().indefinitely();

            assertThat(found.get(before)).containsExactly("name=|bp7600", "name=|omron hem-7600t");
            assertThat(found.get(after)).containsExactly("name=|bp7600", "name=|omron hem-7600t");
        } finally {
            connection.close().await().indefinitely();
        }
    }

    @Test
    void withoutAnAnswerFromAdminServiceNothingIsStored() {
        StandInAdmin.FAILING.set(true);

        UploadResult result = ingest(upload(PETER_USER, "batch", create(questionnaireResponse("completed"),
                PETERS_SOURCE)));

        assertThat(result.status()).isEqualTo(503);
    }
}
