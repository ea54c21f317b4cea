package org.jupyterhealth.exchange.fhir.audit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.audit.AuditAction;
import org.jupyterhealth.exchange.common.audit.AuditChain;
import org.jupyterhealth.exchange.common.audit.AuditEvent;
import org.jupyterhealth.exchange.common.audit.AuditJson;
import org.jupyterhealth.exchange.common.testing.FhirSearch;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.fhir.support.FakeAdmin;
import org.jupyterhealth.exchange.fhir.support.ObservationStore;
import org.jupyterhealth.exchange.fhir.support.Personas;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * {@code GET /fhir/r5/AuditEvent} over ingest-service's audit store: a superuser searches it by patient, agent,
 * type, outcome, entity and date; a patient sees only the events about itself; a practitioner is refused.
 */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
@QuarkusTestResource(FakeAdmin.class)
@QuarkusTestResource(ObservationStore.class)
class AuditEventResourceTest {
    static final AuditEvent MARY_READS_PETERS = event(AuditAction.READ, 200, 10002L, "practitioner",
            List.of("60001"), List.of(40001L), Instant.now().minusSeconds(30));
    static final AuditEvent MARY_REFUSED = event(AuditAction.SEARCH, 403, 10002L, "practitioner", List.of(),
            List.of(40003L), Instant.now().minusSeconds(20));
    static final AuditEvent PAT_READS_HERS = event(AuditAction.READ, 200, 10011L, "patient", List.of("60008"),
            List.of(40008L), Instant.now().minusSeconds(10));
    static final AuditEvent TOM_SEARCHES_PETERS = event(AuditAction.SEARCH, 200, 10005L, "practitioner", List.of(),
            List.of(40001L), Instant.now().minusSeconds(5));

    static AuditEvent event(AuditAction action, int status, Long user, String role, List<String> ids,
            List<Long> patients, Instant at) {
        AuditEvent built = AuditEvent.of(action).service("fhir-service").status(status).agent(user, role, "demo-app")
                .resource("Observation", ids).patients(patients).request("req-" + UUID.randomUUID(), "10.1.2.3")
                .search(action == AuditAction.SEARCH ? "patient=" + patients.get(0) : null,
                        action == AuditAction.SEARCH && status == 200 ? 2 : null)
                .build();
        return new AuditEvent(built.id(), at, built.service(), built.action(), built.outcome(), built.status(),
                built.userId(), built.role(), built.clientId(), built.resourceType(), built.resourceIds(),
                built.query(), built.count(), built.patientIds(), built.requestId(), built.clientAddress());
    }

    @BeforeAll
    static void store() throws Exception {
        try (Connection connection = ObservationStore.connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO ingest.audit_event (recorded_at, kafka_partition, kafka_offset, event_id, action, "
                        + "outcome, agent_user_id, resource_type, patient_ids, event, prev_hash, hash) "
                        + "VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            connection.createStatement().execute("DELETE FROM ingest.audit_event");
            byte[] previous = AuditChain.GENESIS;
            long offset = 0;
            for (AuditEvent event : List.of(MARY_READS_PETERS, MARY_REFUSED, PAT_READS_HERS, TOM_SEARCHES_PETERS)) {
                String text = AuditJson.write(event);
                byte[] hash = AuditChain.hash(previous, text);
                insert.setObject(1, event.recorded().atOffset(ZoneOffset.UTC));
                insert.setLong(2, offset++);
                insert.setObject(3, event.id());
                insert.setString(4, event.action());
                insert.setString(5, event.outcome());
                insert.setLong(6, event.userId());
                insert.setString(7, event.resourceType());
                insert.setArray(8, connection.createArrayOf("bigint", event.patientIds().toArray()));
                insert.setString(9, text);
                insert.setBytes(10, previous);
                insert.setBytes(11, hash);
                insert.executeUpdate();
                previous = hash;
            }
        }
    }

    static List<String> ids(JsonPath bundle) {
        return bundle.getList("entry.resource.id", String.class);
    }

    @Test
    void aSuperuserFindsTheEventsAboutAPatientNewestFirst() {
        JsonPath bundle = FhirSearch.searchset(Personas.admin(), "AuditEvent?patient=Patient/40001");

        assertThat(ids(bundle)).containsExactly(TOM_SEARCHES_PETERS.id().toString(),
                MARY_READS_PETERS.id().toString());
        JsonPath read = new JsonPath(bundle.prettify()).setRootPath("entry[1].resource");
        assertThat(read.getString("resourceType")).isEqualTo("AuditEvent");
        assertThat(read.getString("code.coding[0].code")).isEqualTo("read");
        assertThat(read.getString("action")).isEqualTo("R");
        assertThat(read.getString("outcome.code.code")).isEqualTo("0");
        assertThat(read.getString("agent[0].who.identifier.value")).isEqualTo("10002");
        assertThat(read.getString("agent[0].networkString")).isEqualTo("10.1.2.3");
        assertThat(read.getString("agent[1].who.identifier.value")).isEqualTo("demo-app");
        assertThat(read.getString("source.observer.display")).isEqualTo("fhir-service");
        assertThat(read.getList("entity.what.reference")).contains("Observation/60001", "Patient/40001");
    }

    @Test
    void aSuperuserFiltersByAgentOutcomeTypeEntityAndDate() {
        assertThat(ids(FhirSearch.searchset(Personas.admin(), "AuditEvent?agent=10002&outcome=refused")))
                .containsExactly(MARY_REFUSED.id().toString());
        assertThat(ids(FhirSearch.searchset(Personas.admin(), "AuditEvent?type=read")))
                .containsExactly(PAT_READS_HERS.id().toString(), MARY_READS_PETERS.id().toString());
        assertThat(ids(FhirSearch.searchset(Personas.admin(), "AuditEvent?entity=Observation/60008")))
                .containsExactly(PAT_READS_HERS.id().toString());
        assertThat(ids(FhirSearch.searchset(Personas.admin(), "AuditEvent?date=lt2000-01-01"))).isEmpty();
        assertThat(ids(FhirSearch.searchset(Personas.admin(), "AuditEvent?date=ge2000-01-01"))).hasSize(4);
    }

    @Test
    void pagesFollowTheNextLink() {
        JsonPath first = FhirSearch.searchset(Personas.admin(), "AuditEvent?_count=3");
        assertThat(ids(first)).hasSize(3);
        String next = first.getString("link.find { it.relation == 'next' }.url");
        assertThat(next).contains("_cursor=");
        JsonPath second = FhirSearch.searchset(Personas.admin(), "AuditEvent?" + next.substring(next.indexOf('?') + 1));
        assertThat(ids(second)).containsExactly(MARY_READS_PETERS.id().toString());
    }

    @Test
    void aPatientSeesOnlyWhoAccessedItsOwnData() {
        assertThat(ids(FhirSearch.searchset(Personas.peter(), "AuditEvent")))
                .containsExactly(TOM_SEARCHES_PETERS.id().toString(), MARY_READS_PETERS.id().toString());
        // asking for another patient's events finds none
        assertThat(ids(FhirSearch.searchset(Personas.peter(), "AuditEvent?patient=40008"))).isEmpty();
    }

    @Test
    void onlyASuperuserSeesWhereAnAccessCameFrom() {
        assertThat(given().auth().oauth2(Personas.peter()).when().get("/fhir/r5/AuditEvent")
                .then().statusCode(200).extract().asString()).doesNotContain("10.1.2.3")
                .doesNotContain("networkString");
        assertThat(given().auth().oauth2(Personas.admin()).when().get("/fhir/r5/AuditEvent?patient=40001")
                .then().statusCode(200).extract().asString()).contains("\"networkString\":\"10.1.2.3\"");
    }

    @Test
    void aPractitionerMayNotReadTheTrail() {
        given().auth().oauth2(Personas.mary())
                .when().get("/fhir/r5/AuditEvent")
                .then().statusCode(403)
                .body("issue[0].code", equalTo("forbidden"));
    }

    @Test
    void withoutAValidTokenTheTrailIs401() {
        given().when().get("/fhir/r5/AuditEvent")
                .then().statusCode(401).body("resourceType", equalTo("OperationOutcome"));
        given().auth().oauth2(org.jupyterhealth.exchange.common.testing.TestTokens.expired())
                .when().get("/fhir/r5/AuditEvent?patient=40001")
                .then().statusCode(401).body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void aMalformedFilterIs400NamingIt() {
        given().auth().oauth2(Personas.admin())
                .when().get("/fhir/r5/AuditEvent?outcome=maybe")
                .then().statusCode(400)
                .body("issue[0].code", equalTo("invalid"))
                .body("issue[0].diagnostics", equalTo("outcome must be success, refused or failed (or 0, 4, 8)."));
        given().auth().oauth2(Personas.admin())
                .when().get("/fhir/r5/AuditEvent?_cursor=nonsense")
                .then().statusCode(400);
    }

    @Test
    void anUnknownParameterIsIgnoredUnlessTheClientAsksForStrictHandling() {
        given().auth().oauth2(Personas.admin())
                .when().get("/fhir/r5/AuditEvent?no-such-parameter=1&_count=1")
                .then().statusCode(200);
        given().auth().oauth2(Personas.admin()).header("Prefer", "handling=strict")
                .when().get("/fhir/r5/AuditEvent?no-such-parameter=1&_count=1")
                .then().statusCode(400)
                .body("issue[0].diagnostics", equalTo("Unknown search parameter 'no-such-parameter' for AuditEvent "
                        + "(Prefer: handling=strict)."));
        given().auth().oauth2(Personas.admin()).header("Prefer", "handling=strict")
                .when().get("/fhir/r5/AuditEvent?patient=40001&_count=1")
                .then().statusCode(200);
    }
}
