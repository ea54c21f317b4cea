package org.jupyterhealth.exchange.admin.support;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.restassured.http.ContentType;

/** Data a test creates through the API, so that it never depends on another test's changes. */
public final class Fixtures {
    private Fixtures() {
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A new organization below Lifespan Lab (20003), managed by Mary. */
    public static long organization() {
        return ((Number) given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("name", unique("Org"), "type", "laboratory", "partOf", 20003))
                .when().post("/api/v1/organizations")
                .then().statusCode(201).extract().path("id")).longValue();
    }

    /** Adds a demo practitioner to the organization with a role (Mary acting). */
    public static void member(long organization, long userId, String role) {
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("jheUserId", userId, "organizationPartitionerRole", role))
                .when().post("/api/v1/organizations/" + organization + "/user")
                .then().statusCode(anyOf(is(200), is(201)));
    }

    /** A new patient of the organization (Mary acting); returns its id. */
    public static long patient(long organization) {
        return ((Number) given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("organizationId", organization, "telecomEmail", unique("patient") + "@example.org",
                        "nameFamily", "Doe", "nameGiven", "Jo", "birthDate", "1990-02-03"))
                .when().post("/api/v1/patients")
                .then().statusCode(201).extract().path("id")).longValue();
    }

    /** A new study of the organization requesting these codes (Mary acting). */
    public static long study(long organization, long... codeIds) {
        long id = ((Number) given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("organization", organization, "name", unique("Study"), "description", "test study"))
                .when().post("/api/v1/studies")
                .then().statusCode(201).extract().path("id")).longValue();
        for (long code : codeIds) {
            given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of("scopeCodeId", code))
                    .when().post("/api/v1/studies/" + id + "/scope_requests").then().statusCode(201);
        }
        return id;
    }

    public static void enrol(long study, long... patients) {
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("patientIds", Arrays.stream(patients).boxed().toList()))
                .when().post("/api/v1/studies/" + study + "/patients").then().statusCode(201);
    }

    public static Map<String, Object> consents(long study, String code, boolean consented) {
        return Map.of("studyScopeConsents", List.of(Map.of("studyId", study, "scopeConsents", List.of(Map.of(
                "codingSystem", "https://w3id.org/openmhealth", "codingCode", code, "consented", consented)))));
    }
}
