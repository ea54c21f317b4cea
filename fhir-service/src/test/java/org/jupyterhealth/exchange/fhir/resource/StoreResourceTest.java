package org.jupyterhealth.exchange.fhir.resource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.testing.FhirSearch;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.fhir.support.FakeAdmin;
import org.jupyterhealth.exchange.fhir.support.Links;
import org.jupyterhealth.exchange.fhir.support.ObservationStore;
import org.jupyterhealth.exchange.fhir.support.Personas;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Reads and searches of the FHIR resource store, over rows as ingest-service writes them: access as for
 * Observations (own data for a patient, consented scopes for a practitioner), each kind of search parameter, paging
 * by stable next links.
 */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
@QuarkusTestResource(FakeAdmin.class)
@QuarkusTestResource(ObservationStore.class)
class StoreResourceTest {
    static final String QR = "QuestionnaireResponse";

    @ConfigProperty(name = "jhe.fhir.admin-url")
    String adminUrl;

    @AfterEach
    void resetAdmin() {
        Personas.control(adminUrl, "reset");
    }

    /** Stores a resource as ingest-service would (its search values with it); returns its id. */
    static String insert(String type, long patientId, long sourceId, String json, OffsetDateTime clinicalDate,
            String status, String... tokens) {
        UUID id = UUID.randomUUID();
        try (Connection db = ObservationStore.connect()) {
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO ingest.fhir_resource (id, resource_type, "
                    + "patient_id, fhir_source_id, version_id, clinical_date, status, resource, upload_id, "
                    + "written_by_user_id) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, 10006)")) {
                insert.setObject(1, id);
                insert.setString(2, type);
                insert.setLong(3, patientId);
                insert.setLong(4, sourceId);
                insert.setTimestamp(5, clinicalDate == null ? null : Timestamp.from(clinicalDate.toInstant()));
                insert.setString(6, status);
                insert.setString(7, json);
                insert.setObject(8, UUID.randomUUID());
                insert.executeUpdate();
            }
            for (String token : tokens) {
                String[] parts = token.split("=", 2);
                String[] value = parts[1].split("\\|", 2);
                try (PreparedStatement insert = db.prepareStatement("INSERT INTO ingest.fhir_resource_token "
                        + "(resource_id, resource_type, patient_id, name, system, value) VALUES (?, ?, ?, ?, ?, ?)")) {
                    insert.setObject(1, id);
                    insert.setString(2, type);
                    insert.setLong(3, patientId);
                    insert.setString(4, parts[0]);
                    insert.setString(5, value[0]);
                    insert.setString(6, value[1]);
                    insert.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return id.toString();
    }

    static String questionnaireResponse(long patient, long source, String status, String authored,
            String questionnaire) {
        String json = "{\"resourceType\":\"QuestionnaireResponse\",\"meta\":{\"source\":"
                + "\"https://jupyterhealth.org/fhir/fhir-source/" + source + "\"},\"extension\":[{\"url\":"
                + "\"https://jupyterhealth.org/fhir/StructureDefinition/patient-id\",\"valueInteger\":" + patient
                + "}],\"questionnaire\":\"" + questionnaire + "\",\"status\":\"" + status + "\",\"authored\":\""
                + authored + "\"}";
        return insert(QR, patient, source, json, OffsetDateTime.parse(authored), status,
                "questionnaire=|" + questionnaire, "status=|" + status);
    }

    @Test
    void withoutAValidTokenNothingOfTheStoreIsReadOrWritten() {
        String id = questionnaireResponse(40001, 90001, "completed", "2025-03-03T10:00:00Z",
                "https://example.org/Questionnaire/tokens");
        String expired = org.jupyterhealth.exchange.common.testing.TestTokens.expired();
        given().when().get("/fhir/r5/QuestionnaireResponse/" + id).then().statusCode(401)
                .body("resourceType", equalTo("OperationOutcome"));
        given().auth().oauth2(expired).when().get("/fhir/r5/QuestionnaireResponse/" + id).then().statusCode(401)
                .body("resourceType", equalTo("OperationOutcome"));
        given().auth().oauth2(expired).when().get("/fhir/r5/QuestionnaireResponse?patient=40001")
                .then().statusCode(401).body("resourceType", equalTo("OperationOutcome"));
        given().auth().oauth2(expired).contentType("application/fhir+json").header("X-JHE-FHIR-Source-ID", "90001")
                .body("{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"completed\"}")
                .when().post("/fhir/r5/QuestionnaireResponse").then().statusCode(401)
                .body("resourceType", equalTo("OperationOutcome"));
        given().auth().oauth2(expired).when().delete("/fhir/r5/QuestionnaireResponse/" + id).then().statusCode(401);
        // still there, unchanged, for its owner
        given().auth().oauth2(Personas.peter()).when().get("/fhir/r5/QuestionnaireResponse/" + id)
                .then().statusCode(200).header("ETag", "W/\"1\"");
    }

    @Test
    void everyTypeOfTheStoreIsSearchable() {
        // a name that is the start of another (Medication, MedicationRequest) must reach its own route
        for (String type : org.jupyterhealth.exchange.common.fhir.ResourceStore.TYPES) {
            io.restassured.response.Response answer = given().auth().oauth2(Personas.peter()).when()
                    .get("/fhir/r5/" + type + "?_count=1");
            assertThat(answer.statusCode()).as("%s: %s", type, answer.asString()).isEqualTo(200);
            assertThat(answer.jsonPath().getString("resourceType")).as(type).isEqualTo("Bundle");
        }
    }

    @Test
    void theOwnerAndAConsentedPractitionerReadAResourceWithItsVersionAndOthersDoNot() {
        String id = questionnaireResponse(40001, 90001, "completed", "2025-03-01T10:00:00Z",
                "https://example.org/Questionnaire/phq-9");

        JsonPath read = given().auth().oauth2(Personas.peter())
                .when().get("/fhir/r5/QuestionnaireResponse/" + id)
                .then().statusCode(200)
                .header("ETag", "W/\"1\"")
                .body("resourceType", equalTo(QR))
                .body("id", equalTo(id))
                .body("meta.versionId", equalTo("1"))
                .body("meta.source", equalTo("https://jupyterhealth.org/fhir/fhir-source/90001"))
                .body("status", equalTo("completed"))
                .extract().jsonPath();
        assertThat(read.getString("meta.lastUpdated")).endsWith("Z");
        given().auth().oauth2(Personas.mary()).when().get("/fhir/r5/QuestionnaireResponse/" + id)
                .then().statusCode(200);
        given().auth().oauth2(Personas.pamela()).when().get("/fhir/r5/QuestionnaireResponse/" + id)
                .then().statusCode(404);
        given().auth().oauth2(Personas.mark()).when().get("/fhir/r5/QuestionnaireResponse/" + id)
                .then().statusCode(404);
        given().auth().oauth2(Personas.peter()).when().get("/fhir/r5/Condition/" + id)
                .then().statusCode(404);
        given().auth().oauth2(Personas.peter()).when().get("/fhir/r5/QuestionnaireResponse/not-a-uuid")
                .then().statusCode(404).body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void aRevokedConsentHidesTheResourceFromThePractitionerAtOnce() {
        String id = questionnaireResponse(40001, 90001, "completed", "2025-03-02T10:00:00Z",
                "https://example.org/Questionnaire/revoked");
        assertThat(FhirSearch.ids(Personas.mary(), QR + "?patient=40001")).contains(id);

        given().baseUri(adminUrl).when().get("/_control/revoke?patient=40001&study=30001&code=" + QR)
                .then().statusCode(200);

        // within the second an access decision may be kept
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> !FhirSearch.ids(Personas.mary(), QR + "?patient=40001").contains(id));
        given().auth().oauth2(Personas.mary()).when().get("/fhir/r5/QuestionnaireResponse/" + id)
                .then().statusCode(404);
        // the patient still reads its own
        assertThat(FhirSearch.ids(Personas.peter(), QR)).contains(id);

        // consent given again: the practitioner reads it again once the kept decision is gone, and so does the next
        // test, which would otherwise meet the revocation still kept
        Personas.control(adminUrl, "reset");
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> FhirSearch.ids(Personas.mary(), QR + "?patient=40001").contains(id));
    }

    @Test
    void searchesByTokenReferenceDateAndTheCommonParameters() {
        String questionnaire = "https://example.org/Questionnaire/" + UUID.randomUUID();
        String early = questionnaireResponse(40002, 90002, "in-progress", "2024-01-05T08:00:00Z", questionnaire);
        String late = questionnaireResponse(40002, 90002, "completed", "2025-06-05T08:00:00Z", questionnaire);

        String q = QR + "?questionnaire=" + questionnaire;
        assertThat(FhirSearch.ids(Personas.pamela(), q)).containsExactlyInAnyOrder(early, late);
        assertThat(FhirSearch.ids(Personas.pamela(), q + "&status=completed")).containsExactly(late);
        assertThat(FhirSearch.ids(Personas.pamela(), q + "&status=completed,in-progress")).hasSize(2);
        assertThat(FhirSearch.ids(Personas.pamela(), q + "&authored=ge2025-01-01")).containsExactly(late);
        assertThat(FhirSearch.ids(Personas.pamela(), q + "&date=lt2025-01-01")).containsExactly(early);
        assertThat(FhirSearch.ids(Personas.pamela(), q + "&_id=" + early)).containsExactly(early);
        assertThat(FhirSearch.ids(Personas.pamela(), q + "&_id=60001")).isEmpty();
        assertThat(FhirSearch.ids(Personas.pamela(), q + "&_lastUpdated=ge2000-01-01")).hasSize(2);
        assertThat(FhirSearch.ids(Personas.mary(), q + "&patient=Patient/40002")).hasSize(2);
        assertThat(FhirSearch.ids(Personas.mary(), q + "&patient._has:Group:member:_id=30002")).hasSize(2);
        JsonPath count = FhirSearch.searchset(Personas.pamela(), q + "&_summary=count");
        assertThat(count.getInt("total")).isEqualTo(2);
        assertThat(count.getList("entry")).isEmpty();
        JsonPath byDate = FhirSearch.searchset(Personas.pamela(), q + "&_sort=date");
        assertThat(byDate.getList("entry.resource.id", String.class)).containsExactly(early, late);
    }

    /** The stored resources of Pamela's of the type with one of the statuses (or any), counted row by row. */
    static long rowsOf(String... statuses) {
        try (Connection db = ObservationStore.connect(); PreparedStatement count = db.prepareStatement(
                "SELECT count(*) FROM ingest.fhir_resource WHERE patient_id = 40002 AND resource_type = ? "
                        + (statuses.length == 0 ? "" : "AND status = ANY(?)"))) {
            count.setString(1, QR);
            if (statuses.length > 0) {
                count.setArray(2, db.createArrayOf("text", statuses));
            }
            try (var rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theTotalOfASearchByPatientAndStatusIsTheNumberOfMatchingResources() {
        String questionnaire = "https://example.org/Questionnaire/" + UUID.randomUUID();
        questionnaireResponse(40002, 90002, "completed", "2025-02-01T08:00:00Z", questionnaire);
        questionnaireResponse(40002, 90002, "completed", "2025-02-02T08:00:00Z", questionnaire);
        String gone = questionnaireResponse(40002, 90002, "entered-in-error", "2025-02-03T08:00:00Z", questionnaire);
        questionnaireResponse(40001, 90001, "completed", "2025-02-04T08:00:00Z", questionnaire);

        // totals of searches without other row conditions come from the counters ingest-service's store keeps
        String q = QR + "?patient=40002";
        assertThat(FhirSearch.searchset(Personas.mary(), q + "&status=completed&_count=1").getLong("total"))
                .isEqualTo(rowsOf("completed")).isGreaterThanOrEqualTo(2);
        assertThat(FhirSearch.searchset(Personas.mary(), q + "&status=completed,entered-in-error,completed")
                .getLong("total")).isEqualTo(rowsOf("completed", "entered-in-error"));
        assertThat(FhirSearch.searchset(Personas.mary(), q + "&_summary=count").getLong("total"))
                .isEqualTo(rowsOf());
        long before = rowsOf("entered-in-error");
        try (Connection db = ObservationStore.connect(); PreparedStatement delete = db.prepareStatement(
                "DELETE FROM ingest.fhir_resource WHERE id = ?")) {
            delete.setObject(1, UUID.fromString(gone));
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        assertThat(FhirSearch.searchset(Personas.mary(), q + "&status=entered-in-error&_summary=count")
                .getLong("total")).isEqualTo(before - 1);
    }

    @Test
    void searchesByCodeAndIdentifierTokensAndByNameAsAPrefix() {
        // Conditions are a scope nobody consented to: the patient reads its own, no practitioner does (a patient's
        // own resources need no consent to be read by it)
        String json = "{\"resourceType\":\"Condition\",\"clinicalStatus\":{\"coding\":[{\"code\":\"active\"}]}}";
        String id = insert("Condition", 40001, 90001, json, null, null, "code=http://snomed.info/sct|44054006",
                "category=|problem-list-item", "identifier=https://clinic.example|c-" + json.length());

        assertThat(FhirSearch.ids(Personas.peter(), "Condition?code=44054006")).contains(id);
        assertThat(FhirSearch.ids(Personas.peter(), "Condition?code=http://snomed.info/sct|44054006")).contains(id);
        assertThat(FhirSearch.ids(Personas.peter(), "Condition?code=http://loinc.org|44054006")).doesNotContain(id);
        assertThat(FhirSearch.ids(Personas.peter(), "Condition?code=http://snomed.info/sct|")).contains(id);
        assertThat(FhirSearch.ids(Personas.peter(), "Condition?category=problem-list-item&identifier="
                + "https://clinic.example|c-" + json.length())).contains(id);
        assertThat(FhirSearch.ids(Personas.mary(), "Condition")).doesNotContain(id);

        String location = insert("Location", 40001, 90001, "{\"resourceType\":\"Location\",\"name\":\"North Clinic\"}",
                null, null, "name=|north clinic");
        assertThat(FhirSearch.ids(Personas.peter(), "Location?name=North")).contains(location);
        assertThat(FhirSearch.ids(Personas.peter(), "Location?name=South")).doesNotContain(location);
    }

    @Test
    void pagesFollowStableNextLinksAndTheSourceChoosesTheStore() {
        String questionnaire = "https://example.org/Questionnaire/" + UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(questionnaireResponse(40001, 90001, "completed", "2025-0" + (i + 1) + "-01T00:00:00Z",
                    questionnaire));
        }
        String q = QR + "?questionnaire=" + questionnaire;

        List<String> seen = new ArrayList<>();
        JsonPath page = FhirSearch.searchset(Personas.peter(), q + "&_count=2");
        assertThat(page.getInt("total")).isEqualTo(5);
        while (true) {
            seen.addAll(page.getList("entry.resource.id", String.class));
            String next = page.getString("link.find { it.relation == 'next' }.url");
            if (next == null) {
                break;
            }
            // a resource written after the first page does not shift the pages
            questionnaireResponse(40001, 90001, "completed", "2025-09-01T00:00:00Z", questionnaire);
            page = FhirSearch.searchset(Personas.peter(), Links.local(next).substring("/fhir/r5/".length()));
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids).doesNotHaveDuplicates();

        assertThat(FhirSearch.ids(Personas.peter(), q + "&_source=https://jupyterhealth.org/fhir/fhir-source/90001"))
                .hasSize(5 + 2);
        assertThat(FhirSearch.ids(Personas.peter(), q + "&_source=https://jupyterhealth.org/fhir/fhir-source/90002"))
                .isEmpty();
        assertThat(FhirSearch.ids(Personas.peter(), q + "&_source:below=https://jupyterhealth.org/fhir/fhir-source"))
                .hasSize(7);
        assertThat(FhirSearch.ids(Personas.peter(), q + "&_source=https://jupyterhealth.org/jhe")).isEmpty();
        assertThat(Set.copyOf(FhirSearch.ids(Personas.pamela(), q))).isEmpty();
    }

    @Test
    void previousLinksLeadBackThroughTheSamePagesInBothOrders() {
        String questionnaire = "https://example.org/Questionnaire/" + UUID.randomUUID();
        for (int i = 0; i < 5; i++) {
            questionnaireResponse(40001, 90001, "completed", "2025-0" + (i + 1) + "-01T00:00:00Z", questionnaire);
        }
        for (String sort : List.of("", "&_sort=date", "&_sort=-date", "&_sort=_lastUpdated")) {
            String q = QR + "?questionnaire=" + questionnaire + "&_count=2" + sort;
            List<List<String>> forward = new ArrayList<>();
            JsonPath page = FhirSearch.searchset(Personas.peter(), q);
            assertThat(page.getString("link.find { it.relation == 'previous' }.url")).isNull();
            while (true) {
                forward.add(page.getList("entry.resource.id", String.class));
                String next = page.getString("link.find { it.relation == 'next' }.url");
                if (next == null) {
                    break;
                }
                page = FhirSearch.searchset(Personas.peter(), Links.local(next).substring("/fhir/r5/".length()));
            }
            assertThat(forward).hasSize(3);
            List<List<String>> backward = new ArrayList<>();
            backward.add(page.getList("entry.resource.id", String.class));
            while (true) {
                String previous = page.getString("link.find { it.relation == 'previous' }.url");
                if (previous == null) {
                    break;
                }
                page = FhirSearch.searchset(Personas.peter(),
                        Links.local(previous).substring("/fhir/r5/".length()));
                backward.add(0, page.getList("entry.resource.id", String.class));
            }
            assertThat(backward).as("pages read backwards with " + sort).isEqualTo(forward);
        }
    }

    @Test
    void anObservationSearchNamingAFhirSourceFindsTheStoredObservationsOfThatSource() {
        String code = "lab-" + UUID.randomUUID().toString().substring(0, 8);
        String json = "{\"resourceType\":\"Observation\",\"meta\":{\"source\":"
                + "\"https://jupyterhealth.org/fhir/fhir-source/90001\"},\"status\":\"final\",\"code\":{\"coding\":"
                + "[{\"system\":\"http://loinc.org\",\"code\":\"" + code + "\"}]},"
                + "\"effectiveDateTime\":\"2025-10-01T08:00:00Z\"}";
        String id = insert("Observation", 40001, 90001, json, OffsetDateTime.parse("2025-10-01T08:00:00Z"), "final",
                "code=http://loinc.org|" + code, "status=|final");
        String q = "Observation?code=" + code;

        assertThat(FhirSearch.ids(Personas.peter(), q + "&_source=https://jupyterhealth.org/fhir/fhir-source/90001"))
                .containsExactly(id);
        assertThat(FhirSearch.ids(Personas.peter(), q + "&_source:below=https://jupyterhealth.org/fhir/fhir-source"))
                .containsExactly(id);
        assertThat(FhirSearch.ids(Personas.peter(),
                q + "&_source:below=https://jupyterhealth.org/fhir/fhir-source/90001")).containsExactly(id);
        assertThat(FhirSearch.ids(Personas.peter(), q + "&_source=https://jupyterhealth.org/fhir/fhir-source/90002"))
                .isEmpty();
        // without a FHIR source the Open mHealth store is searched, which does not hold it
        assertThat(FhirSearch.ids(Personas.peter(), q)).isEmpty();
        assertThat(FhirSearch.ids(Personas.pamela(), q + "&_source=https://jupyterhealth.org/fhir/fhir-source/90001"))
                .isEmpty();
    }

    @Test
    void aPractitionerOfAnotherOrganizationIsRefusedThePatientFilter() {
        given().auth().oauth2(Personas.mark()).when().get("/fhir/r5/QuestionnaireResponse?patient=40001")
                .then().statusCode(403).body("resourceType", equalTo("OperationOutcome"));
    }
}
