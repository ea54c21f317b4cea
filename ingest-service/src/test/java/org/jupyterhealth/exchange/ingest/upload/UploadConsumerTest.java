package org.jupyterhealth.exchange.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.BLOOD_GLUCOSE;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.BLOOD_PRESSURE;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.HEART_RATE;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.MARY;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.MEGAN;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.PAMELA;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.PERCY;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.PERCY_USER;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.PETER;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.PETER_USER;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.VICTOR;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.batch;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.dataPoint;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.identifierOf;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.observation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.upload.EntryOutcome;
import org.jupyterhealth.exchange.common.upload.UploadEntry;
import org.jupyterhealth.exchange.common.upload.UploadEnvelope;
import org.jupyterhealth.exchange.common.upload.UploadResult;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Uploads go through the real broker and the real database: each entry is checked in the documented order,
 * accepted entries are stored once, the outcome is produced keyed by upload id.
 */
@QuarkusTest
@QuarkusTestResource(StandInAdmin.class)
class UploadConsumerTest {
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

    UploadResult ingest(UploadEnvelope upload) {
        topics.send(upload);
        return topics.awaitResult(upload.uploadId());
    }

    long storedOf(UUID uploadId) {
        return pool.preparedQuery("SELECT count(*) FROM ingest.observation WHERE upload_id = $1")
                .execute(Tuple.of(uploadId)).await().indefinitely().iterator().next().getLong(0);
    }

    static List<Integer> statuses(UploadResult result) {
        return result.entries().stream().map(EntryOutcome::status).toList();
    }

    @Test
    void storesTheSampleBloodPressureUploadOfItsPatient() {
        UploadEnvelope upload = Fixtures.sample(PETER_USER, "upload-bundle-blood-pressure.json");

        UploadResult result = ingest(upload);

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.uploadId()).isEqualTo(upload.uploadId());
        assertThat(statuses(result)).containsExactly(201);
        Row row = pool.preparedQuery("""
                SELECT o.subject_patient_id, o.codeable_concept_id, o.coding_code, o.data_source_id, o.status,
                       o.effective_date_time, o.uploaded_by_user_id, o.omh_data -> 'body' -> 'systolic_blood_pressure' ->> 'value',
                       i.system, i.value
                FROM ingest.observation o JOIN ingest.observation_identifier i ON i.observation_id = o.id
                WHERE o.id = $1
                """).execute(Tuple.of(result.entries().get(0).observationId())).await().indefinitely()
                .iterator().next();
        assertThat(row.getLong(0)).isEqualTo(PETER);
        assertThat(row.getLong(1)).isEqualTo(50002L);
        assertThat(row.getString(2)).isEqualTo(BLOOD_PRESSURE);
        assertThat(row.getLong(3)).isEqualTo(70001L);
        assertThat(row.getString(4)).isEqualTo("final");
        assertThat(row.getOffsetDateTime(5)).isEqualTo(OffsetDateTime.parse("2025-01-01T00:02:00-08:00"));
        assertThat(row.getLong(6)).isEqualTo(PETER_USER);
        assertThat(row.getString(7)).isEqualTo("115");
        assertThat(row.getString(8)).isEqualTo("https://commonhealth.org");
        assertThat(row.getString(9)).startsWith("aaaa1234-1a2b-3c4d-5e6f-000000000002-");
    }

    @Test
    void storesASpirometryMeasurementOfACodeTheStudiesRequest() {
        // a seeded scope whose schema is one of the wider Open mHealth set, not one of the demo codes
        String code = "omh:forced-vital-capacity:1.0";
        ObjectNode dataPoint = dataPoint(HEART_RATE);
        ((ObjectNode) dataPoint.get("header").get("schema_id")).put("name", "forced-vital-capacity").put("version",
                "1.0");
        ObjectNode body = dataPoint.putObject("body");
        body.putObject("forced_vital_capacity").put("value", 4.1).put("unit", "L");
        body.putObject("effective_time_frame").put("date_time", "2025-01-01T00:04:00-08:00");

        UploadResult result = ingest(batch(PERCY_USER, observation(PERCY, code, dataPoint)));

        assertThat(statuses(result)).containsExactly(201);
        Row row = pool.preparedQuery("SELECT coding_code, codeable_concept_id, "
                + "omh_data -> 'body' -> 'forced_vital_capacity' ->> 'value' FROM ingest.observation WHERE id = $1")
                .execute(Tuple.of(result.entries().get(0).observationId())).await().indefinitely().iterator().next();
        assertThat(row.getString(0)).isEqualTo(code);
        assertThat(row.getLong(1)).isEqualTo(50009L);
        assertThat(row.getString(2)).isEqualTo("4.1");
    }

    @Test
    void answersTheMixedSampleEntryByEntryInOrderAndStoresOnlyTheConsentedCodes() {
        UploadEnvelope upload = Fixtures.sample(PETER_USER, "upload-bundle-mixed.json");

        UploadResult result = ingest(upload);

        assertThat(result.status()).isEqualTo(200);
        assertThat(statuses(result)).containsExactly(201, 201, 201, 403, 403, 403, 403);
        assertThat(result.entries().get(3).diagnostics()).isEqualTo("Observation data with coding_system="
                + "https://w3id.org/openmhealth coding_code=omh:blood-glucose:4.0 has not been consented for any "
                + "studies by this Patient.");
        assertThat(result.entries().get(3).issueCode()).isEqualTo("forbidden");
        assertThat(storedOf(upload.uploadId())).isEqualTo(3);
    }

    @Test
    void practitionerManagingAnOrganizationOfThePatientMayUploadForThePatient() {
        UploadResult byManager = ingest(batch(MARY, observation(PETER, HEART_RATE)));
        UploadResult byMember = ingest(batch(MEGAN, observation(PAMELA, BLOOD_PRESSURE)));

        assertThat(statuses(byManager)).containsExactly(201);
        assertThat(statuses(byMember)).containsExactly(201);
    }

    @Test
    void viewerAndOtherPatientsMayNotUploadForAPatient() {
        UploadEnvelope byViewer = batch(VICTOR, observation(PETER, HEART_RATE));
        UploadEnvelope byOtherPatient = batch(PETER_USER, observation(PAMELA, HEART_RATE));

        UploadResult viewer = ingest(byViewer);
        UploadResult otherPatient = ingest(byOtherPatient);

        assertThat(viewer.entries().get(0)).isEqualTo(EntryOutcome.failed(403, "forbidden",
                "Current user doesn't have access to the Patient."));
        assertThat(otherPatient.entries().get(0)).isEqualTo(EntryOutcome.failed(403, "forbidden",
                "The Subject Patient does not match the current user."));
        assertThat(storedOf(byViewer.uploadId()) + storedOf(byOtherPatient.uploadId())).isZero();
    }

    @Test
    void refusesEachBrokenEntryWithItsStatusAndMessage() {
        ObjectNode noSubject = observation(PETER, HEART_RATE);
        noSubject.remove("subject");
        ObjectNode unknownPatient = observation(49999, HEART_RATE);
        ObjectNode noDevice = observation(PETER, HEART_RATE);
        noDevice.remove("device");
        ObjectNode appAsDevice = observation(PETER, HEART_RATE);
        appAsDevice.putObject("device").put("reference", "Device/70005");
        ObjectNode twoCodings = observation(PETER, HEART_RATE);
        ((ArrayNode) twoCodings.get("code").get("coding")).addObject()
                .put("system", "http://loinc.org").put("code", "8867-4");
        ObjectNode unknownCode = observation(PETER, "omh:heart-rate:9.0", dataPoint(HEART_RATE));
        ObjectNode notBase64Json = observation(PETER, HEART_RATE);
        ((ObjectNode) notBase64Json.get("valueAttachment")).put("data", "bm90IGpzb24=");
        ObjectNode loinc = observation(PETER, HEART_RATE);
        ((ObjectNode) loinc.get("code").get("coding").get(0)).put("system", "http://loinc.org");
        ObjectNode patient = Fixtures.JSON.createObjectNode().put("resourceType", "Patient");
        ObjectNode notR5 = observation(PETER, HEART_RATE);
        notR5.put("status", "done");

        UploadResult result = ingest(batch(PETER_USER, noSubject, unknownPatient, noDevice, appAsDevice, twoCodings,
                unknownCode, notBase64Json, loinc, patient, notR5));

        assertThat(result.status()).isEqualTo(200);
        List<EntryOutcome> outcomes = result.entries();
        assertThat(outcomes.get(0)).isEqualTo(EntryOutcome.failed(400, "invalid",
                "Subject is required and must be a reference to a Patient ID and start with 'Patient/'"));
        assertThat(outcomes.get(1)).isEqualTo(EntryOutcome.failed(400, "invalid",
                "Patient id=49999 can not be found."));
        assertThat(outcomes.get(2)).isEqualTo(EntryOutcome.failed(400, "invalid",
                "Device is required and must be a reference to a Data Source ID and start with 'Device/'"));
        assertThat(outcomes.get(3)).isEqualTo(EntryOutcome.failed(400, "invalid",
                "Device Data Source id=70005 can not be found."));
        assertThat(outcomes.get(4)).isEqualTo(EntryOutcome.failed(400, "invalid", "Exactly one Code must be provided."));
        assertThat(outcomes.get(5)).isEqualTo(EntryOutcome.failed(400, "invalid",
                "Code not found: system=https://w3id.org/openmhealth code=omh:heart-rate:9.0"));
        assertThat(outcomes.get(6)).isEqualTo(EntryOutcome.failed(400, "invalid",
                "valueAttachment.data must be Base 64 Encoded Binary JSON."));
        assertThat(outcomes.get(7).status()).isEqualTo(400);
        // an Observation that is not Open mHealth belongs to the FHIR resource store, written through a FHIR source
        assertThat(outcomes.get(7).diagnostics()).startsWith("A FHIR source is required");
        assertThat(outcomes.get(8)).isEqualTo(EntryOutcome.failed(400, "invalid",
                "Only Observation resourceType supported."));
        assertThat(outcomes.get(9).status()).isEqualTo(400);
        assertThat(outcomes.get(9).diagnostics()).startsWith("The resource is not a valid FHIR R5 resource");
    }

    @Test
    void reportsTheFirstFailingCheckInTheDocumentedOrder() {
        ObjectNode stored = observation(PETER, HEART_RATE);
        assertThat(statuses(ingest(batch(PETER_USER, stored)))).containsExactly(201);
        // patient unknown (3) before a missing device (6)
        ObjectNode unknownPatientNoDevice = observation(49999, HEART_RATE);
        unknownPatientNoDevice.remove("device");
        // a stored identifier (7) before a code not consented (10)
        ObjectNode duplicateNotConsented = observation(PETER, BLOOD_GLUCOSE);
        duplicateNotConsented.set("identifier", stored.get("identifier"));
        // the device (6) before a stored identifier (7)
        ObjectNode duplicateNoDevice = observation(PETER, HEART_RATE);
        duplicateNoDevice.set("identifier", stored.get("identifier"));
        duplicateNoDevice.remove("device");
        // exactly one coding (8) before consent (10)
        ObjectNode twoCodingsNotConsented = observation(PETER, BLOOD_GLUCOSE);
        ((ArrayNode) twoCodingsNotConsented.get("code").get("coding"))
                .addObject().put("system", "http://loinc.org").put("code", "2339-0");
        // consent (10) before the payload (11)
        ObjectNode notConsentedBadPayload = observation(PETER, BLOOD_GLUCOSE);
        ((ObjectNode) notConsentedBadPayload.get("valueAttachment")).put("data", "bm90IGpzb24=");
        // data that is not base64 at all is not an R5 base64Binary: refused with the resource (1), before consent
        ObjectNode notConsentedNotBase64 = observation(PETER, BLOOD_GLUCOSE);
        ((ObjectNode) notConsentedNotBase64.get("valueAttachment")).put("data", "!!!");

        UploadResult result = ingest(batch(PETER_USER, unknownPatientNoDevice, duplicateNotConsented,
                duplicateNoDevice, twoCodingsNotConsented, notConsentedBadPayload, notConsentedNotBase64));

        assertThat(statuses(result)).containsExactly(400, 409, 400, 400, 403, 400);
        assertThat(result.entries().get(0).diagnostics()).isEqualTo("Patient id=49999 can not be found.");
        assertThat(result.entries().get(1).diagnostics()).isEqualTo(
                "Identifier already exists: system=https://commonhealth.org value=" + identifierOf(stored));
        assertThat(result.entries().get(1).issueCode()).isEqualTo("duplicate");
        assertThat(result.entries().get(2).diagnostics()).startsWith("Device is required");
        assertThat(result.entries().get(3).diagnostics()).isEqualTo("Exactly one Code must be provided.");
        assertThat(result.entries().get(4).diagnostics()).contains("has not been consented");
        assertThat(result.entries().get(5).diagnostics()).startsWith("The resource is not a valid FHIR R5 resource");
    }

    @Test
    void refusesAnOpenMHealthBodyWithUnitMGDLWith422NamingThePath() {
        ObjectNode dataPoint = dataPoint(BLOOD_GLUCOSE);
        ((ObjectNode) dataPoint.get("body").get("blood_glucose")).put("unit", "MGDL");

        UploadResult result = ingest(batch(Fixtures.PAT_USER,
                observation(Fixtures.PAT, BLOOD_GLUCOSE, dataPoint)));

        EntryOutcome outcome = result.entries().get(0);
        assertThat(outcome.status()).isEqualTo(422);
        assertThat(outcome.issueCode()).isEqualTo("invalid");
        assertThat(outcome.diagnostics()).startsWith("$.body.blood_glucose.unit: ");
    }

    @Test
    void refusesAHeaderThatDoesNotMatchItsSchemaWith422() {
        ObjectNode dataPoint = dataPoint(HEART_RATE);
        ((ObjectNode) dataPoint.get("header")).remove("uuid");

        UploadResult result = ingest(batch(PETER_USER, observation(PETER, HEART_RATE, dataPoint)));

        assertThat(result.entries().get(0).status()).isEqualTo(422);
        assertThat(result.entries().get(0).diagnostics()).startsWith("$.header").contains("uuid");
    }

    @Test
    void anIdentifierIsStoredOnceAcrossUploadsAndWithinOneUpload() {
        ObjectNode first = observation(PETER, HEART_RATE);
        ObjectNode sameAgain = observation(PETER, HEART_RATE);
        sameAgain.set("identifier", first.get("identifier"));

        UploadResult within = ingest(batch(PETER_USER, first, sameAgain));
        UploadResult across = ingest(batch(PETER_USER, first));

        assertThat(statuses(within)).containsExactly(201, 409);
        assertThat(statuses(across)).containsExactly(409);
        long stored = pool.preparedQuery("SELECT count(*) FROM ingest.observation_identifier WHERE value = $1")
                .execute(Tuple.of(identifierOf(first))).await().indefinitely().iterator().next().getLong(0);
        assertThat(stored).isEqualTo(1);
    }

    @Test
    void aResentUploadStoresOnlyItsNewEntriesAndATransactionOfThemStoresNothing() {
        ObjectNode stored = observation(PETER, HEART_RATE);
        assertThat(statuses(ingest(batch(PETER_USER, stored)))).containsExactly(201);
        ObjectNode fresh = observation(PETER, HEART_RATE);

        UploadEnvelope resent = batch(PETER_USER, fresh, stored);
        UploadResult batchResult = ingest(resent);
        UploadEnvelope transaction = Fixtures.upload(PETER_USER, UploadEnvelope.TRANSACTION,
                observation(PETER, HEART_RATE), stored);
        UploadResult transactionResult = ingest(transaction);

        assertThat(statuses(batchResult)).containsExactly(201, 409);
        assertThat(storedOf(resent.uploadId())).isEqualTo(1);
        assertThat(statuses(transactionResult)).containsExactly(424, 409);
        assertThat(storedOf(transaction.uploadId())).isZero();
    }

    @Test
    void aTransactionWithOneFailingEntryStoresNothingAndNamesTheFailure() {
        UploadEnvelope upload = Fixtures.upload(PETER_USER, UploadEnvelope.TRANSACTION,
                observation(PETER, HEART_RATE), observation(PETER, BLOOD_GLUCOSE), observation(PETER, BLOOD_PRESSURE));

        UploadResult result = ingest(upload);

        assertThat(result.status()).isEqualTo(403);
        assertThat(statuses(result)).containsExactly(424, 403, 424);
        assertThat(storedOf(upload.uploadId())).isZero();
    }

    @Test
    void aTransactionWhoseEntriesAllPassStoresThemAll() {
        UploadEnvelope upload = Fixtures.upload(PETER_USER, UploadEnvelope.TRANSACTION,
                observation(PETER, HEART_RATE), observation(PETER, BLOOD_PRESSURE));

        UploadResult result = ingest(upload);

        assertThat(result.status()).isEqualTo(200);
        assertThat(statuses(result)).containsExactly(201, 201);
        assertThat(storedOf(upload.uploadId())).isEqualTo(2);
    }

    @Test
    void aRedeliveredUploadStoresNothingTwiceAndIsAnsweredWithTheSameOutcome() {
        UploadEnvelope upload = batch(PETER_USER, observation(PETER, HEART_RATE), observation(PETER, BLOOD_GLUCOSE));
        UploadResult first = ingest(upload);

        topics.send(upload);

        await().atMost(Duration.ofSeconds(30)).until(() -> topics.resultRecords(upload.uploadId()).size() == 2);
        UploadResult again = UploadTopics.read(topics.resultRecords(upload.uploadId()).get(1));
        assertThat(again.entries()).isEqualTo(first.entries());
        assertThat(again.status()).isEqualTo(first.status());
        assertThat(storedOf(upload.uploadId())).isEqualTo(1);
    }

    @Test
    void storesNothingAndAnswers503WhenUploadDecisionsAreUnavailable() {
        StandInAdmin.FAILING.set(true);
        try {
            UploadEnvelope upload = batch(PETER_USER, observation(PETER, HEART_RATE));

            UploadResult result = ingest(upload);

            assertThat(result.status()).isEqualTo(503);
            assertThat(statuses(result)).containsExactly(503);
            assertThat(storedOf(upload.uploadId())).isZero();
        } finally {
            StandInAdmin.FAILING.set(false);
        }
    }

    @Test
    void asksAdminServiceOncePerUploadWithTheUploaderAndEachDistinctEntry() {
        int before = StandInAdmin.questions().size();
        UploadEnvelope upload = batch(MARY, observation(PETER, HEART_RATE), observation(PAMELA, BLOOD_PRESSURE),
                observation(PETER, HEART_RATE));

        ingest(upload);

        List<JsonNode> asked = StandInAdmin.questions().subList(before,
                StandInAdmin.questions().size());
        assertThat(asked).hasSize(1);
        assertThat(asked.get(0).get("userId").asLong()).isEqualTo(MARY);
        assertThat(asked.get(0).get("entries")).hasSize(2);
        assertThat(asked.get(0).get("entries").get(1).get("patientId").asLong()).isEqualTo(PAMELA);
        assertThat(asked.get(0).get("entries").get(1).get("code").asText()).isEqualTo(BLOOD_PRESSURE);
        assertThat(asked.get(0).get("entries").get(1).get("dataSourceId").asLong()).isEqualTo(70001L);
    }

    @Test
    void anUnreadableRecordGoesToTheDeadLetterTopicAndTheNextUploadOfItsPartitionIsProcessed() {
        String key = Long.toString(PETER);
        topics.send(key, "{\"this is\": \"not an upload\"");
        UploadEnvelope next = batch(PETER_USER, observation(PETER, HEART_RATE));

        UploadResult result = ingest(next);

        assertThat(statuses(result)).containsExactly(201);
        await().atMost(Duration.ofSeconds(10)).until(() -> topics.deadLetters().stream()
                .anyMatch(r -> r.value().equals("{\"this is\": \"not an upload\"")));
        ConsumerRecord<String, String> dead = topics.deadLetters().stream()
                .filter(r -> r.value().equals("{\"this is\": \"not an upload\"")).findFirst().orElseThrow();
        assertThat(dead.key()).isEqualTo(key);
        assertThat(new String(dead.headers().lastHeader("jhe-dlq-reason").value(), StandardCharsets.UTF_8))
                .isEqualTo("unreadable-envelope");
        assertThat(dead.headers().lastHeader("jhe-dlq-exception")).isNotNull();
    }

    @Test
    void aControlCharacterInTheResourceIsA400EntryNamingItsPathAndTheRestIsStored() {
        ObjectNode nulSubject = observation(PETER, HEART_RATE);
        ((ObjectNode) nulSubject.get("subject")).put("reference", "Patient/4000\u00001");
        ObjectNode bellIdentifier = observation(PETER, HEART_RATE);
        ((ObjectNode) bellIdentifier.get("identifier").get(0)).put("value", "id-\u0007");
        ObjectNode fine = observation(PETER, HEART_RATE);
        UploadEnvelope upload = batch(PETER_USER, nulSubject, bellIdentifier, fine);

        UploadResult result = ingest(upload);

        assertThat(result.status()).isEqualTo(200);
        assertThat(statuses(result)).containsExactly(400, 400, 201);
        assertThat(result.entries().get(0).diagnostics()).startsWith("The resource is not a valid FHIR R5 resource: "
                + "Observation.subject.reference contains the control character U+0000");
        assertThat(result.entries().get(1).diagnostics()).contains("Observation.identifier[0].value contains the "
                + "control character U+0007");
        assertThat(storedOf(upload.uploadId())).isEqualTo(1);
    }

    @Test
    void aStringElementSentAsANumberBooleanOrArrayIsA400EntryNamingItAndNothingOfItIsStored() {
        ObjectNode numberSystem = observation(PETER, HEART_RATE);
        ((ObjectNode) numberSystem.get("identifier").get(0)).put("system", 123);
        ObjectNode booleanValue = observation(PETER, HEART_RATE);
        ((ObjectNode) booleanValue.get("identifier").get(0)).put("value", true);
        ObjectNode arrayContentType = observation(PETER, HEART_RATE);
        ((ObjectNode) arrayContentType.get("valueAttachment")).putArray("contentType").add("application/json");
        ObjectNode fine = observation(PETER, HEART_RATE);
        UploadEnvelope upload = batch(PETER_USER, numberSystem, booleanValue, arrayContentType, fine);
        UploadEnvelope transaction = Fixtures.upload(PETER_USER, UploadEnvelope.TRANSACTION,
                observation(PETER, HEART_RATE), numberSystem);

        UploadResult result = ingest(upload);
        UploadResult refused = ingest(transaction);

        assertThat(statuses(result)).containsExactly(400, 400, 400, 201);
        assertThat(result.entries().stream().map(EntryOutcome::diagnostics).limit(3)).containsExactly(
                "The resource is not a valid FHIR R5 resource: Observation.identifier[0].system must be a JSON "
                        + "string, not a whole number.",
                "The resource is not a valid FHIR R5 resource: Observation.identifier[0].value must be a JSON "
                        + "string, not a boolean.",
                "The resource is not a valid FHIR R5 resource: Observation.valueAttachment.contentType holds one "
                        + "value: it must not be an array.");
        assertThat(storedOf(upload.uploadId())).isEqualTo(1);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(statuses(refused)).containsExactly(424, 400);
        assertThat(storedOf(transaction.uploadId())).isZero();
    }

    @Test
    void aNulInsideTheOpenMHealthPayloadIsA422EntryNamingItsPath() {
        String text = dataPoint(HEART_RATE).toString().replace("\"manufacturer\"", "\"manu\\u0000facturer\"");
        ObjectNode resource = observation(PETER, HEART_RATE);
        ((ObjectNode) resource.get("valueAttachment")).put("data", Base64.getEncoder().encodeToString(
                text.getBytes(StandardCharsets.UTF_8)));
        UploadEnvelope upload = batch(PETER_USER, resource, observation(PETER, HEART_RATE));

        UploadResult result = ingest(upload);

        assertThat(statuses(result)).containsExactly(422, 201);
        assertThat(result.entries().get(0).diagnostics()).isEqualTo("$.header.external_datasheets[0].datasheet_type: "
                + "contains a NUL character (U+0000), which cannot be stored.");
        assertThat(storedOf(upload.uploadId())).isEqualTo(1);
    }

    @Test
    void theOutcomeOfACodeOverAMebibyteIsSmallAndTheNextUploadOfThePartitionIsProcessed() {
        // an outcome quoting it would exceed Kafka's 1 MiB record limit
        ObjectNode hugeCode = observation(PETER, HEART_RATE);
        ((ObjectNode) hugeCode.get("code").get("coding").get(0)).put("code", "omh:" + "x".repeat(1_100_000));
        UploadEnvelope upload = batch(PETER_USER, hugeCode);
        UploadEnvelope next = batch(PETER_USER, observation(PETER, HEART_RATE));

        topics.send(upload);
        ConsumerRecord<String, String> outcome = topics.awaitRecord(upload.uploadId());
        UploadResult nextResult = ingest(next);

        assertThat(UploadTopics.keyOf(next)).isEqualTo(UploadTopics.keyOf(upload));
        assertThat(outcome.value().length()).isLessThan(1_000);
        assertThat(UploadTopics.read(outcome).entries()).containsExactly(EntryOutcome.failed(400, "invalid",
                "The resource is not a valid FHIR R5 resource: Observation.code.coding[0].code is longer than 256 "
                        + "characters."));
        assertThat(statuses(nextResult)).containsExactly(201);
    }

    @Test
    void anIdentifierTooLongToStoreIsA400EntryAndDoesNotHoldThePartition() {
        ObjectNode longIdentifier = observation(PETER, HEART_RATE);
        StringBuilder value = new StringBuilder();
        while (value.length() < 20_000) {
            value.append(UUID.randomUUID());
        }
        ((ObjectNode) longIdentifier.get("identifier").get(0)).put("value", value.toString());
        ObjectNode longest = observation(PETER, HEART_RATE);
        ((ObjectNode) longest.get("identifier").get(0)).put("value", value.substring(0, 512));

        UploadResult result = ingest(batch(PETER_USER, longIdentifier, longest));
        UploadResult next = ingest(batch(PETER_USER, observation(PETER, HEART_RATE)));

        assertThat(result.entries().get(0)).isEqualTo(EntryOutcome.failed(400, "invalid", "The resource is not a "
                + "valid FHIR R5 resource: Observation.identifier[0].value is longer than 512 characters."));
        assertThat(statuses(result)).containsExactly(400, 201);
        assertThat(statuses(next)).containsExactly(201);
    }

    @Test
    void anEntryThatDoesNotCreateAnObservationIsA400NamingItsRequest() {
        List<UploadEntry> entries = List.of(new UploadEntry(observation(PETER, HEART_RATE), "GET", "Observation"),
                new UploadEntry(observation(PETER, HEART_RATE), "POST", "Binary"),
                new UploadEntry(observation(PETER, HEART_RATE), "POST", null),
                new UploadEntry(observation(PETER, HEART_RATE), "POST",
                        "https://exchange.example/fhir/r5/Observation"));
        UploadEnvelope upload = new UploadEnvelope(UploadEnvelope.CURRENT_VERSION, UUID.randomUUID(), PETER_USER,
                UploadEnvelope.BATCH, Instant.now(), "test-request", entries);

        UploadResult result = ingest(upload);

        assertThat(statuses(result)).containsExactly(400, 400, 400, 201);
        assertThat(result.entries().get(0).diagnostics()).isEqualTo(
                "Only POST/Create method supported: Bundle.entry[0].request.method must be POST.");
        assertThat(result.entries().get(1).diagnostics()).isEqualTo(
                "Only Observations can be created: Bundle.entry[1].request.url must be Observation.");
        assertThat(storedOf(upload.uploadId())).isEqualTo(1);
    }

    @Test
    void impossibleOpenMHealthValuesAre422EntriesNamingTheirPaths() {
        ObjectNode badDate = dataPoint(HEART_RATE);
        ((ObjectNode) badDate.get("body").get("effective_time_frame")).put("date_time", "2025-13-40T99:99:99Z");
        ObjectNode badUuid = dataPoint(HEART_RATE);
        ((ObjectNode) badUuid.get("header")).put("uuid", "not-a-uuid");
        ObjectNode otherSchema = dataPoint(HEART_RATE);
        ((ObjectNode) otherSchema.get("header").get("schema_id")).put("name", "blood-pressure");
        ObjectNode negative = dataPoint(HEART_RATE);
        ((ObjectNode) negative.get("body").get("heart_rate")).put("value", -60);
        UploadEnvelope upload = batch(PETER_USER, observation(PETER, HEART_RATE, badDate),
                observation(PETER, HEART_RATE, badUuid), observation(PETER, HEART_RATE, otherSchema),
                observation(PETER, HEART_RATE, negative));

        UploadResult result = ingest(upload);

        assertThat(statuses(result)).containsExactly(422, 422, 422, 422);
        assertThat(result.entries().stream().map(EntryOutcome::diagnostics)).satisfiesExactly(
                d -> assertThat(d).startsWith("$.body.effective_time_frame.date_time: "),
                d -> assertThat(d).startsWith("$.header.uuid: "),
                d -> assertThat(d).startsWith("$.header.schema_id: "),
                d -> assertThat(d).startsWith("$.body.heart_rate.value: must not be negative"));
        assertThat(storedOf(upload.uploadId())).isZero();
    }

    @Test
    void anEnvelopeOfAnotherVersionIsDeadLetteredItsUploaderToldAndThePartitionMovesOn() {
        UUID uploadId = UUID.randomUUID();
        String value = "{\"version\":99,\"uploadId\":\"" + uploadId + "\",\"uploaderUserId\":" + PETER_USER
                + ",\"bundleType\":\"batch\",\"entries\":[{},{}]}";
        topics.send(Long.toString(PETER), value);

        UploadResult told = topics.awaitResult(uploadId);
        UploadResult next = ingest(batch(PETER_USER, observation(PETER, HEART_RATE)));

        assertThat(told.status()).isEqualTo(UploadResult.FAILED);
        assertThat(told.uploaderUserId()).isEqualTo(PETER_USER);
        assertThat(statuses(told)).containsExactly(500, 500);
        Row recorded = pool.preparedQuery("SELECT status, uploader_user_id FROM ingest.upload WHERE upload_id = $1")
                .execute(Tuple.of(uploadId)).await().indefinitely().iterator().next();
        assertThat(recorded.getInteger(0)).isEqualTo(500);
        assertThat(recorded.getLong(1)).isEqualTo(PETER_USER);
        await().atMost(Duration.ofSeconds(10)).until(() -> topics.deadLetters().stream()
                .anyMatch(r -> r.value().equals(value)));
        assertThat(statuses(next)).containsExactly(201);
    }
}
