package org.jupyterhealth.exchange.admin.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.Fixtures;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.Personas;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A value of the wrong JSON type is refused with a 400 naming the field, never silently converted: a number or a
 * boolean is not a name, a string is not a boolean, a fraction is not an id. Ids alone may also be written as
 * strings of digits ({@code "40001"}), as the original accepted them.
 */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class StrictTypesTest {

    private static void refused(String token, String method, String path, Map<String, Object> body, String field) {
        given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .when().request(method, path)
                .then().statusCode(400).body("errors", hasKey(field));
    }

    @Test
    void numbersAndBooleansAreNotStrings() {
        long org = Fixtures.organization();
        String email = Fixtures.unique("typed") + "@example.org";
        refused(Personas.mary(), "POST", "/api/v1/patients", Map.of("organizationId", org, "telecomEmail", email,
                "nameFamily", 42), "nameFamily");
        refused(Personas.mary(), "POST", "/api/v1/patients", Map.of("organizationId", org, "telecomEmail", email,
                "telecomPhone", 5551234), "telecomPhone");
        assertThat(IdentityStandIn.accountByEmail(email)).isEmpty();
        refused(Personas.mary(), "POST", "/api/v1/patients", Map.of("organizationId", org, "telecomEmail", email,
                "identifiers", List.of(Map.of("system", "http://hospital-a.org", "value", 12345))),
                "identifiers[0].value");
        refused(Personas.mary(), "POST", "/api/v1/studies", Map.of("organization", org, "name", "S",
                "description", 42), "description");
        refused(Personas.mary(), "POST", "/api/v1/organizations", Map.of("name", true, "type", "laboratory",
                "partOf", org), "name");
        refused(Personas.admin(), "POST", "/api/v1/data_sources", Map.of("name", 7), "name");
        refused(Personas.admin(), "POST", "/api/v1/practitioners", Map.of("telecomEmail", email, "nameFamily",
                true), "nameFamily");
        refused(Personas.admin(), "POST", "/api/v1/clients", Map.of("name", 5, "clientId", Fixtures.unique("app"),
                "invitationUrl", "https://app.example/CODE"), "name");
        refused(Personas.admin(), "POST", "/api/v1/jhe_settings", Map.of("key", Fixtures.unique("typed.key"),
                "valueType", "string", "value", 42), "value");
        refused(Personas.mary(), "POST", "/api/v1/practitioner_clients", Map.of("label", 5), "label");
        refused(Personas.mary(), "PATCH", "/api/v1/users/10002", Map.of("firstName", 42), "firstName");
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/users/profile")
                .then().body("firstName", equalTo("Mary"));
    }

    @Test
    void stringsAreNotBooleansAndFractionsAreNotIds() {
        long org = Fixtures.organization();
        long patient = Fixtures.patient(org);
        long study = Fixtures.study(org, 50002);
        Fixtures.enrol(study, patient);
        refused(Personas.mary(), "POST", "/api/v1/patients/" + patient + "/consents", Map.of("studyScopeConsents",
                List.of(Map.of("studyId", study, "scopeConsents", List.of(Map.of("codingSystem",
                        "https://w3id.org/openmhealth", "codingCode", "omh:blood-pressure:4.0", "consented",
                        "yes"))))), "studyScopeConsents[0].scopeConsents[0].consented");
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/patients/" + patient + "/consents")
                .then().statusCode(200).body("studies.size()", equalTo(0));
        refused(Personas.mary(), "POST", "/api/v1/studies/" + study + "/patients",
                Map.of("patientIds", List.of(1.5)), "patientIds");
        refused(Personas.mary(), "POST", "/api/v1/studies/" + study + "/scope_requests",
                Map.of("scopeCodeId", 50003.5), "scopeCodeId");
        refused(Personas.mary(), "POST", "/api/v1/studies", Map.of("organization", true, "name", "S",
                "description", "d"), "organization");
        // 2^64 + 20001: read as a long it would wrap around to organization 20001
        refused(Personas.mary(), "POST", "/api/v1/patients", Map.of("organizationId",
                new BigInteger("18446744073709571617"), "telecomEmail", Fixtures.unique("big") + "@example.org"),
                "organizationId");

        // ids written as strings of digits are ids
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("scopeCodeId", "50003"))
                .when().post("/api/v1/studies/" + study + "/scope_requests")
                .then().statusCode(201).body("scopeCode.id", equalTo(50003));
    }
}
