package org.jupyterhealth.exchange.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The audit trail through the gateway of a running stack: a practitioner's read, a patient's upload and the read
 * of its outcome, and a failed sign-in each become one AuditEvent that a superuser finds; the patient's own access
 * report shows who read its data and nothing about anyone else; a practitioner may not read the trail; and
 * {@code ./jhe audit verify} finds every hash chain intact.
 */
@Order(55)
@ExtendWith(SystemStack.class)
class AuditTrailIT {
    static final long MARY = 10002;

    /** The AuditEvents a superuser finds for the query, once the audit store has them (they arrive through Kafka). */
    static JsonPath eventsOf(String admin, String query, int atLeast) {
        JsonPath[] found = new JsonPath[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            found[0] = given().auth().oauth2(admin).when().get("/fhir/r5/AuditEvent?" + query)
                    .then().statusCode(200).extract().jsonPath();
            List<?> entries = found[0].getList("entry");
            return entries != null && entries.size() >= atLeast;
        });
        return found[0];
    }

    static String requestId() {
        return "audit-it-" + UUID.randomUUID();
    }

    @Test
    void aPractitionersReadIsOneEventThatThePatientSeesInItsAccessReport() {
        String mary = EndToEndIT.passwordToken("manager_mary@example.com");
        String admin = EndToEndIT.passwordToken("admin@example.com");
        String peter = EndToEndIT.passwordToken("ll_patient_peter@example.com");
        String requestId = requestId();
        String since = Instant.now().minusSeconds(5).toString();

        given().auth().oauth2(mary).header("X-Request-Id", requestId)
                .when().get("/fhir/r5/Observation/60001").then().statusCode(200);

        JsonPath events = eventsOf(admin, "entity=Observation/60001&agent=" + MARY + "&date=ge" + since, 1);
        String event = "entry.find { it.resource.extension.find { e -> e.valueString == '" + requestId + "' } }"
                + ".resource";
        assertThat(events.getString(event + ".action")).isEqualTo("R");
        assertThat(events.getString(event + ".outcome.code.code")).isEqualTo("0");
        assertThat(events.getList(event + ".entity.what.reference", String.class))
                .contains("Observation/60001", "Patient/40001");
        assertThat(events.prettify()).doesNotContain(mary).doesNotContain("valueAttachment");

        // Peter's access report: Mary's read is there; every event in it is about Peter
        JsonPath report = given().auth().oauth2(peter).when()
                .get("/fhir/r5/AuditEvent?date=ge" + since + "&_count=100")
                .then().statusCode(200).extract().jsonPath();
        assertThat(report.getList("entry.resource.extension.valueString.flatten()", String.class))
                .contains(requestId);
        List<List<String>> whats = report.getList("entry.resource.entity.what.reference");
        assertThat(whats).allSatisfy(references -> assertThat(references).contains("Patient/40001"));

        // Pamela (another patient) does not find Peter's events even when she asks for them
        String pamela = EndToEndIT.passwordToken("ll_patient_pamela@example.com");
        JsonPath hers = given().auth().oauth2(pamela).when()
                .get("/fhir/r5/AuditEvent?patient=40001&date=ge" + since)
                .then().statusCode(200).extract().jsonPath();
        assertThat(hers.getList("entry.resource.extension.valueString.flatten()", String.class))
                .doesNotContain(requestId);
    }

    @Test
    void aPractitionerMayNotReadTheTrailAndAMissingTokenIs401() {
        String mary = EndToEndIT.passwordToken("manager_mary@example.com");
        given().auth().oauth2(mary).when().get("/fhir/r5/AuditEvent")
                .then().statusCode(403).body("resourceType", equalTo("OperationOutcome"));
        given().when().get("/fhir/r5/AuditEvent").then().statusCode(401);
    }

    @Test
    void anUploadAndTheReadOfItsOutcomeAreEventsNamingTheStoredObservations() {
        String peter = EndToEndIT.passwordToken("ll_patient_peter@example.com");
        String admin = EndToEndIT.passwordToken("admin@example.com");
        String since = Instant.now().minusSeconds(5).toString();
        Response accepted = Uploads.post(peter, "/fhir/r5", Uploads.heartRates(40001, 2, new ArrayList<>()),
                Map.of("Prefer", "respond-async"));
        accepted.then().statusCode(202);
        String path = accepted.header("Content-Location").substring(SystemStack.BASE_URL.length());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().auth().oauth2(peter).when().get(path).statusCode() != 202);
        String requestId = requestId();
        List<String> stored = given().auth().oauth2(peter).header("X-Request-Id", requestId).when().get(path)
                .then().statusCode(200).extract().path("entry.resource.id");
        assertThat(stored).hasSize(2);

        // accepted for later: the upload's event names whose data it is; the read of its outcome names what it stored
        JsonPath created = eventsOf(admin, "agent=10006&type=create&patient=40001&date=ge" + since, 1);
        assertThat(created.getList("entry.resource.outcome.detail.text.flatten()", String.class))
                .anySatisfy(text -> assertThat(text).startsWith("HTTP 202"));
        JsonPath events = eventsOf(admin, "entity=Observation/" + stored.get(0) + "&date=ge" + since, 1);
        String read = "entry.find { it.resource.extension.find { e -> e.valueString == '" + requestId + "' } }"
                + ".resource";
        assertThat(events.getString(read + ".action")).isEqualTo("R");
        assertThat(events.getList(read + ".entity.what.reference", String.class)).contains(
                "Observation/" + stored.get(0), "Observation/" + stored.get(1), "Patient/40001");
    }

    @Test
    void aFailedSignInIsAnEventWithoutThePasswordTried() {
        String admin = EndToEndIT.passwordToken("admin@example.com");
        String since = Instant.now().minusSeconds(5).toString();
        String tried = "Wrong-" + UUID.randomUUID();
        given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "password").formParam("client_id", "jhe-demo")
                .formParam("username", "member_megan@example.com").formParam("password", tried)
                .when().post("/o/token/").then().statusCode(400);

        JsonPath events = eventsOf(admin, "type=login-failed&date=ge" + since, 1);
        assertThat(events.getList("entry.resource.outcome.code.code", String.class)).doesNotContain("0");
        assertThat(events.prettify()).doesNotContain(tried);
    }

    @Test
    void theHashChainsOfTheTrailAreIntact() {
        assertThat(SystemStack.jhe("audit", "verify")).isZero();
    }
}
