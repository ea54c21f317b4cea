package org.jupyterhealth.exchange.admin.account;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.DatabaseFaults;
import org.jupyterhealth.exchange.admin.support.Fixtures;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.Personas;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Writes that span admin-service and identity-service are all-or-nothing as a caller sees them: a request refused
 * or failing at any step leaves no login account (or OAuth client) behind in identity-service, never deletes one
 * that existed before it, and a deletion that identity-service cannot carry out changes nothing here either.
 * Failures after identity-service's answer are injected into the real database ({@link DatabaseFaults}).
 */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class CrossServiceWritesTest {

    @AfterEach
    void identityServiceAnswersAgain() {
        IdentityStandIn.FAIL_WITH.set(null);
    }

    private static Map<String, Object> patient(long organization, String email, String family) {
        return patient(organization, email, family, "http://hospital-a.org");
    }

    private static Map<String, Object> patient(long organization, String email, String family, String system) {
        return Map.of("organizationId", organization, "telecomEmail", email, "nameFamily", family,
                "nameGiven", "Jo", "identifiers", List.of(Map.of("system", system, "value", Fixtures.unique("MRN"))));
    }

    private static void assertNoAccount(String email) {
        assertThat(IdentityStandIn.accountByEmail(email)).as("account of %s in identity-service", email).isEmpty();
        given().auth().oauth2(Personas.admin()).when().get("/api/v1/users?email=" + email)
                .then().statusCode(200).body("count", equalTo(0));
    }

    @Test
    void aPatientCreateRefusedForItsInputLeavesNoAccount() {
        long org = Fixtures.organization();
        String longIdentifier = Fixtures.unique("long") + "@example.org";
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("organizationId", org, "telecomEmail", longIdentifier, "identifiers",
                        List.of(Map.of("system", "http://hospital-a.org", "value", "9".repeat(3000)))))
                .when().post("/api/v1/patients")
                .then().statusCode(400).body("errors", hasKey("identifiers[0].value"));
        assertNoAccount(longIdentifier);

        String nul = Fixtures.unique("nul") + "@example.org";
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("organizationId", org, "telecomEmail", nul, "nameFamily", "Doe\u0000"))
                .when().post("/api/v1/patients")
                .then().statusCode(400).body("errors", hasKey("nameFamily"));
        assertNoAccount(nul);

        String longName = Fixtures.unique("name") + "@example.org";
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("organizationId", org, "telecomEmail", longName, "nameGiven", "J".repeat(151)))
                .when().post("/api/v1/patients")
                .then().statusCode(400).body("errors", hasKey("nameGiven"));
        assertNoAccount(longName);
    }

    @Test
    void aPatientWhoseRecordCannotBeStoredLeavesNoAccount() {
        long org = Fixtures.organization();
        String marker = Fixtures.unique("Fault");
        String email = Fixtures.unique("fault") + "@example.org";
        try (var fault = DatabaseFaults.failWritesTo("patient", "NEW.name_family = '" + marker + "'", "P0001")) {
            given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(patient(org, email, marker))
                    .when().post("/api/v1/patients")
                    .then().statusCode(500);
        }
        assertNoAccount(email);
    }

    @Test
    void aPatientWhoseIdentifierIsTakenMeanwhileLeavesNoAccount() {
        long org = Fixtures.organization();
        String system = "urn:test:" + Fixtures.unique("race");
        String email = Fixtures.unique("race") + "@example.org";
        // the identifier was free when checked, and another request took it before the insert: a unique violation
        try (var fault = DatabaseFaults.failWritesTo("patient_identifier", "NEW.system = '" + system + "'",
                "23505")) {
            given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                    .body(patient(org, email, "Doe", system))
                    .when().post("/api/v1/patients")
                    .then().statusCode(409);
        }
        assertNoAccount(email);
    }

    @Test
    void aPatientWhoseMembershipOrEventCannotBeStoredLeavesNoAccount() {
        long org = Fixtures.organization();
        String email = Fixtures.unique("member") + "@example.org";
        try (var fault = DatabaseFaults.failWritesTo("patient_organization", "NEW.organization_id = " + org,
                "P0001")) {
            given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(patient(org, email, "Doe"))
                    .when().post("/api/v1/patients")
                    .then().statusCode(500);
        }
        assertNoAccount(email);

        String evented = Fixtures.unique("event") + "@example.org";
        try (var fault = DatabaseFaults.failWritesTo("admin_event_outbox",
                "NEW.payload LIKE '%\"organizationId\":" + org + ",%'", "P0001")) {
            given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(patient(org, evented, "Doe"))
                    .when().post("/api/v1/patients")
                    .then().statusCode(500);
        }
        assertNoAccount(evented);
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/patients?organization_id=" + org)
                .then().statusCode(200).body("count", equalTo(0));
    }

    @Test
    void anAccountThatExistedBeforeTheRequestIsNeverDeleted() {
        long org = Fixtures.organization();
        String marker = Fixtures.unique("Kept");
        String email = Fixtures.unique("existing") + "@example.org";
        long account = IdentityStandIn.createAccount(email, null);
        try (var fault = DatabaseFaults.failWritesTo("patient", "NEW.name_family = '" + marker + "'", "P0001")) {
            given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(patient(org, email, marker))
                    .when().post("/api/v1/patients")
                    .then().statusCode(500);
        }
        assertThat(IdentityStandIn.ACCOUNTS).containsKey(account);

        String practitioner = Fixtures.unique("existing-prac") + "@example.org";
        long other = IdentityStandIn.createAccount(practitioner, "practitioner");
        try (var fault = DatabaseFaults.failWritesTo("practitioner", "NEW.name_family = '" + marker + "'",
                "P0001")) {
            given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                    .body(Map.of("telecomEmail", practitioner, "nameFamily", marker))
                    .when().post("/api/v1/practitioners")
                    .then().statusCode(500);
        }
        assertThat(IdentityStandIn.ACCOUNTS).containsKey(other);
    }

    @Test
    void aPractitionerWhoseRecordOrMembershipCannotBeStoredLeavesNoAccount() {
        String marker = Fixtures.unique("Fault");
        String email = Fixtures.unique("prac-fault") + "@example.org";
        try (var fault = DatabaseFaults.failWritesTo("practitioner", "NEW.name_family = '" + marker + "'",
                "P0001")) {
            given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                    .body(Map.of("telecomEmail", email, "nameFamily", marker))
                    .when().post("/api/v1/practitioners")
                    .then().statusCode(500);
        }
        assertNoAccount(email);

        long org = Fixtures.organization();
        String member = Fixtures.unique("prac-member") + "@example.org";
        try (var fault = DatabaseFaults.failWritesTo("practitioner_organization", "NEW.organization_id = " + org,
                "P0001")) {
            given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                    .body(Map.of("telecomEmail", member, "organizationId", org))
                    .when().post("/api/v1/practitioners")
                    .then().statusCode(500);
        }
        assertNoAccount(member);

        String tooLong = Fixtures.unique("prac-long") + "@example.org";
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("telecomEmail", tooLong, "nameGiven", "x".repeat(3000)))
                .when().post("/api/v1/practitioners")
                .then().statusCode(400).body("errors", hasKey("nameGiven"));
        assertNoAccount(tooLong);
    }

    @Test
    void aUserWhoseAccountCannotBeRememberedIsNotLeftInIdentityService() {
        String email = Fixtures.unique("user-fault") + "@example.org";
        try (var fault = DatabaseFaults.failWritesTo("account", "NEW.email = '" + email + "'", "P0001")) {
            given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                    .body(Map.of("email", email, "userType", "practitioner"))
                    .when().post("/api/v1/users")
                    .then().statusCode(500);
        }
        assertNoAccount(email);
    }

    @Test
    void aPatientAppWhoseRecordCannotBeStoredLeavesNoClientAndAFailedChangeIsUndone() {
        String clientId = Fixtures.unique("app");
        try (var fault = DatabaseFaults.failWritesTo("oauth_client", "NEW.client_id = '" + clientId + "'",
                "P0001")) {
            given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                    .body(Map.of("name", "App", "clientId", clientId, "invitationUrl", "https://app.example/CODE"))
                    .when().post("/api/v1/clients")
                    .then().statusCode(500);
        }
        assertThat(IdentityStandIn.CLIENTS.values()).noneMatch(c -> clientId.equals(c.get("clientId")));

        String kept = Fixtures.unique("app");
        Number id = given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "Before", "clientId", kept, "invitationUrl", "https://app.example/CODE"))
                .when().post("/api/v1/clients")
                .then().statusCode(201).extract().path("id");
        String marker = Fixtures.unique("After");
        try (var fault = DatabaseFaults.failWritesTo("oauth_client", "NEW.name = '" + marker + "'", "P0001")) {
            given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                    .body(Map.of("name", marker, "invitationUrl", "https://app.example/v2/CODE"))
                    .when().patch("/api/v1/clients/" + id)
                    .then().statusCode(500);
        }
        assertThat(IdentityStandIn.CLIENTS.get(id.longValue()))
                .containsEntry("name", "Before").containsEntry("invitationUrl", "https://app.example/CODE");
        given().auth().oauth2(Personas.admin()).when().get("/api/v1/clients/" + id)
                .then().statusCode(200).body("name", equalTo("Before"));
    }

    @Test
    void aPractitionerClientWhoseRecordCannotBeStoredLeavesNoClient() {
        long before = ownedClients(10002);
        String marker = Fixtures.unique("label");
        try (var fault = DatabaseFaults.failWritesTo("practitioner_client", "NEW.label = '" + marker + "'",
                "P0001")) {
            given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of("label", marker))
                    .when().post("/api/v1/practitioner_clients")
                    .then().statusCode(500);
        }
        assertThat(ownedClients(10002)).isEqualTo(before);
    }

    private static long ownedClients(long userId) {
        return IdentityStandIn.CLIENTS.values().stream()
                .filter(c -> c.get("ownerUserId") instanceof Number n && n.longValue() == userId).count();
    }

    @Test
    void aDeletionIdentityServiceCannotCarryOutChangesNothing() {
        long org = Fixtures.organization();
        long patient = Fixtures.patient(org);
        Number userId = given().auth().oauth2(Personas.mary()).when().get("/api/v1/patients/" + patient)
                .then().statusCode(200).extract().path("jheUserId");
        Number practitioner = given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("telecomEmail", Fixtures.unique("doomed") + "@example.org"))
                .when().post("/api/v1/practitioners")
                .then().statusCode(201).extract().path("id");
        Number client = given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "App", "clientId", Fixtures.unique("app"), "invitationUrl",
                        "https://app.example/CODE"))
                .when().post("/api/v1/clients")
                .then().statusCode(201).extract().path("id");

        IdentityStandIn.FAIL_WITH.set(503);
        given().auth().oauth2(Personas.mary()).when().delete("/api/v1/patients/" + patient + "?organization_id=" + org)
                .then().statusCode(503);
        given().auth().oauth2(Personas.admin()).when().delete("/api/v1/users/" + userId).then().statusCode(503);
        given().auth().oauth2(Personas.admin()).when().delete("/api/v1/practitioners/" + practitioner)
                .then().statusCode(503);
        given().auth().oauth2(Personas.admin()).when().delete("/api/v1/clients/" + client).then().statusCode(503);
        IdentityStandIn.FAIL_WITH.set(null);

        given().auth().oauth2(Personas.mary()).when().get("/api/v1/patients/" + patient)
                .then().statusCode(200).body("organizations.id", hasItem((int) org));
        given().auth().oauth2(Personas.admin()).when().get("/api/v1/practitioners/" + practitioner)
                .then().statusCode(200);
        given().auth().oauth2(Personas.admin()).when().get("/api/v1/clients/" + client).then().statusCode(200);
        assertThat(IdentityStandIn.ACCOUNTS).containsKey(userId.longValue());

        // once identity-service answers, the same requests finish the job
        given().auth().oauth2(Personas.mary()).when().delete("/api/v1/patients/" + patient + "?organization_id=" + org)
                .then().statusCode(204);
        assertThat(IdentityStandIn.ACCOUNTS).doesNotContainKey(userId.longValue());
        given().auth().oauth2(Personas.admin()).when().delete("/api/v1/clients/" + client).then().statusCode(204);
        assertThat(IdentityStandIn.CLIENTS).doesNotContainKey(client.longValue());
        given().auth().oauth2(Personas.admin()).when().delete("/api/v1/practitioners/" + practitioner)
                .then().statusCode(204);
        given().auth().oauth2(Personas.admin()).when().get("/api/v1/practitioners/" + practitioner)
                .then().statusCode(404);
    }
}
