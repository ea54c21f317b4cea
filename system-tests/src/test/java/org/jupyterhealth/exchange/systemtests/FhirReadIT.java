package org.jupyterhealth.exchange.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jupyterhealth.exchange.common.testing.FhirSearch;

import io.restassured.path.json.JsonPath;

/**
 * FHIR reads through the gateway with the real identity-service (tokens, fhir-service's client-credentials
 * token), the real admin-service (access decisions and records) and the demo observations of ingest-service's
 * seed: what each demo persona sees, consent revocation hiding data at once, both bases, discovery, and the
 * admin-dialect observation list.
 */
@Order(20)
@ExtendWith(SystemStack.class)
class FhirReadIT {

    static Set<String> observationIds(String token, String query) {
        return FhirSearch.ids(token, "Observation" + query);
    }

    @Test
    void eachDemoPersonaSeesTheConsentedObservationsOfThePatientsItShares() {
        Set<String> lifespan = Set.of("60001", "60002", "60003", "60004", "60005");
        assertThat(observationIds(EndToEndIT.passwordToken("manager_mary@example.com"), "?_count=100"))
                .isEqualTo(lifespan);
        assertThat(observationIds(EndToEndIT.passwordToken("member_megan@example.com"), "?_count=100"))
                .isEqualTo(lifespan);
        assertThat(observationIds(EndToEndIT.passwordToken("viewer_victor@example.com"), "?_count=100"))
                .as("a viewer can read").isEqualTo(lifespan);
        assertThat(observationIds(EndToEndIT.passwordToken("three_org_tom@example.com"), "?_count=100"))
                .isEqualTo(Set.of("60001", "60002", "60003", "60004", "60005", "60006", "60007", "60009"));
        assertThat(observationIds(EndToEndIT.passwordToken("manager_mark@example.com"), "?_count=100"))
                .isEqualTo(Set.of("60006", "60008"));
        assertThat(observationIds(EndToEndIT.passwordToken("ll_patient_peter@example.com"), "?_count=100"))
                .isEqualTo(Set.of("60001", "60002"));
        assertThat(observationIds(EndToEndIT.passwordToken("ccl_cardio_patient_pat@example.com"), "?_count=100"))
                .isEqualTo(Set.of("60008", "60009"));
        assertThat(observationIds(EndToEndIT.passwordToken("admin@example.com"), "?_count=100"))
                .as("a superuser sees health data only where it is a member").isEmpty();
    }

    @Test
    void theGuidesTwoFhirExamplesWorkVerbatimWithTheDemoIds() {
        String mary = EndToEndIT.passwordToken("manager_mary@example.com");
        assertThat(observationIds(mary, "?patient._has:Group:member:_id=30001&patient=40001"
                + "&code=https://w3id.org/openmhealth|omh:blood-pressure:4.0")).isEqualTo(Set.of("60001"));
        given().auth().oauth2(mary)
                .when().get("/fhir/r5/Patient?_has:Group:member:_id=30001")
                .then().statusCode(200)
                .body("total", equalTo(2))
                .body("entry.resource.id", containsInAnyOrder("40001", "40002"));
    }

    @Test
    void bothBasesServeTheSameReadsAndLinkInTheClientsStyle() {
        String peter = EndToEndIT.passwordToken("ll_patient_peter@example.com");
        JsonPath upper = given().auth().oauth2(peter)
                .when().get("/FHIR/R5/Observation?_count=1")
                .then().statusCode(200).extract().jsonPath();
        assertThat(upper.getString("link.find { it.relation == 'next' }.url"))
                .startsWith(SystemStack.BASE_URL + "/FHIR/R5/Observation?");
        given().auth().oauth2(peter)
                .when().get("/FHIR/R5/Observation/60001")
                .then().statusCode(200)
                .body("subject.reference", equalTo("Patient/40001"))
                .body("subject.identifier.value", equalTo("10006"))
                .body("code.coding[0].display", equalTo("Blood pressure"));
        given().auth().oauth2(peter)
                .when().get("/fhir/r5/Observation/60003")
                .then().statusCode(404).body("issue[0].code", equalTo("not-found"));
    }

    @Test
    void revokingAConsentThroughTheAdminApiHidesTheDataWithinASecond() {
        String mary = EndToEndIT.passwordToken("manager_mary@example.com");
        assertThat(observationIds(mary, "?patient=40002")).contains("60004");
        try {
            consent(mary, 40002, 30001, "omh:heart-rate:2.0", false);
            long start = System.nanoTime();
            await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                    .until(() -> !observationIds(mary, "?patient=40002").contains("60004"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1600));
            given().auth().oauth2(mary)
                    .when().get("/api/v1/observations/60004")
                    .then().statusCode(404);
        } finally {
            consent(mary, 40002, 30001, "omh:heart-rate:2.0", true);
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> observationIds(mary, "?patient=40002").contains("60004"));
    }

    private static void consent(String token, long patient, long study, String code, boolean consented) {
        String body = "{\"studyScopeConsents\": [{\"studyId\": " + study + ", \"scopeConsents\": [{\"codingSystem\": "
                + "\"https://w3id.org/openmhealth\", \"codingCode\": \"" + code + "\", \"consented\": " + consented
                + "}]}]}";
        given().auth().oauth2(token).contentType("application/json").body(body)
                .when().patch("/api/v1/patients/" + patient + "/consents")
                .then().statusCode(200);
    }

    @Test
    void discoveryIsPublicUnderBothBases() {
        given().when().get("/FHIR/R5/metadata")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", "*")
                .body("resourceType", equalTo("CapabilityStatement"))
                .body("implementation.url", equalTo(SystemStack.BASE_URL + "/FHIR/R5/"));
        given().when().get("/fhir/r5/.well-known/smart-configuration")
                .then().statusCode(200)
                .body("token_endpoint", equalTo(SystemStack.BASE_URL + "/o/token/"));
    }

    @Test
    void theAdminDialectObservationListIsRoutedToTheSameAccess() {
        String mary = EndToEndIT.passwordToken("manager_mary@example.com");
        given().auth().oauth2(mary)
                .when().get("/api/v1/observations?organization_id=20003&study_id=30001&patient_id=40001")
                .then().statusCode(200)
                .body("count", equalTo(2))
                .body("results.id", contains(60002, 60001))
                .body("results[0].patientNameFamily", notNullValue())
                .body("results[0].omhData.header.schema_id.name", equalTo("heart-rate"));
        given().when().get("/api/v1/observations")
                .then().statusCode(401).body("detail", equalTo("Authentication credentials were not provided."));
    }

    @Test
    void studiesOrganizationsAndDataSourcesAreReadable() {
        String mary = EndToEndIT.passwordToken("manager_mary@example.com");
        given().auth().oauth2(mary)
                .when().get("/fhir/r5/Group")
                .then().statusCode(200)
                .body("entry.resource.id", containsInAnyOrder("30001", "30002"));
        given().auth().oauth2(mary)
                .when().get("/fhir/r5/Organization/20003")
                .then().statusCode(200).body("name", equalTo("Lifespan Lab"));
        given().auth().oauth2(mary)
                .when().get("/fhir/r5/Device")
                .then().statusCode(200)
                .body("entry.resource.id", hasItem("70001"));
    }
}
