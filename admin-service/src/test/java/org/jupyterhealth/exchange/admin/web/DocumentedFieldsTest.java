package org.jupyterhealth.exchange.admin.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import java.util.HashMap;
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
 * A documented field that a request carries is judged as it is where it is used (type, characters, length, e-mail
 * form, enumeration), whether or not this operation applies it, and a value that would have to change what cannot
 * be changed here (an account's e-mail or type, an OAuth client's id) is refused rather than silently dropped. A
 * {@code PUT} replaces the record, so it must carry the fields a create needs. Every refusal is a 400 naming the
 * field, and changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class DocumentedFieldsTest {
    private static final List<Object> NOT_AN_EMAIL = List.of("", "   ", "not-an-email", "a b@example.org", 42, true,
            List.of("x@example.org"), Map.of("email", "x@example.org"), "x".repeat(250) + "@example.org");

    private static void refused(String token, String method, String path, Map<String, Object> body, String field) {
        given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .when().request(method, path)
                .then().statusCode(400).body("errors", hasKey(field));
    }

    private static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> out = new HashMap<>(body);
        out.put(key, value);
        return out;
    }

    private static Map<String, Object> without(Map<String, Object> body, String key) {
        Map<String, Object> out = new HashMap<>(body);
        out.remove(key);
        return out;
    }






    @Test
    void aMembershipsRoleIsFromTheEnumerationWhenGivenAlsoWhenRemoving() {
        long org = Fixtures.organization();
        String path = "/api/v1/organizations/" + org;
        for (Object bad : List.of("", "   ", "not-in-enum", "Manager", 42, true, List.of("member"))) {
            refused(Personas.mary(), "POST", path + "/user",
                    Map.of("jheUserId", 10003, "organizationPartitionerRole", bad), "organizationPartitionerRole");
            refused(Personas.mary(), "POST", path + "/user", Map.of("jheUserId", 10003, "role", bad), "role");
        }
        given().auth().oauth2(Personas.mary()).when().get(path + "/users")
                .then().statusCode(200).body("id", not(hasItem(10003)));

        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of("jheUserId", 10003))
                .when().post(path + "/user")
                .then().statusCode(201).body("role", equalTo("member"));
        for (Object bad : List.of("", "   ", "not-in-enum", 42, List.of("member"))) {
            refused(Personas.mary(), "DELETE", path + "/remove_user",
                    Map.of("jheUserId", 10003, "organizationPartitionerRole", bad), "organizationPartitionerRole");
        }
        given().auth().oauth2(Personas.mary()).when().get(path + "/users")
                .then().statusCode(200).body("id", hasItem(10003));
        // the role a removal names is checked, not compared: the membership goes whatever its role
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("jheUserId", 10003, "organizationPartitionerRole", "viewer"))
                .when().delete(path + "/remove_user")
                .then().statusCode(204);
        given().auth().oauth2(Personas.mary()).when().get(path + "/users")
                .then().statusCode(200).body("id", not(hasItem(10003)));
    }


    @Test
    void anInvitationsSendEmailIsAJsonBoolean() {
        long org = Fixtures.organization();
        long patient = Fixtures.patient(org);
        for (Object bad : List.of("yes", "true", 1, Map.of(), List.of(true))) {
            given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                    .body(Map.of("patientId", patient, "clientId", 1, "sendEmail", bad))
                    .when().post("/api/v1/invitation")
                    .then().statusCode(400).body("errors", hasKey("sendEmail"))
                    .body("detail", containsString("sendEmail"));
        }
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/invitation")
                .then().statusCode(200).body("results.patientId", not(hasItem((int) patient)));
        for (Object good : new Object[] { true, false }) {
            given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                    .body(Map.of("patientId", patient, "clientId", 1, "send_email", good))
                    .when().post("/api/v1/invitation")
                    .then().statusCode(201);
        }
    }

    @Test
    void aFieldGivenTwiceIsRefusedRatherThanOneValueDropped() {
        String email = Fixtures.unique("twice") + "@example.org";
        Number id = given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("telecomEmail", email, "nameFamily", "Before"))
                .when().post("/api/v1/practitioners")
                .then().statusCode(201).extract().path("id");
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body("{\"telecomEmail\": \"" + email + "\", \"telecom_email\": \"someone.else@example.org\"}")
                .when().patch("/api/v1/practitioners/" + id)
                .then().statusCode(400).body("errors", hasKey("telecomEmail"));
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body("{\"nameFamily\": \"After\", \"nameFamily\": \"Again\"}")
                .when().patch("/api/v1/practitioners/" + id)
                .then().statusCode(400).body("detail", containsString("JSON"));
        given().auth().oauth2(Personas.admin()).when().get("/api/v1/practitioners/" + id)
                .then().statusCode(200).body("nameFamily", equalTo("Before"));
    }

    @Test
    void patientIdsIsAListNotASingleId() {
        long org = Fixtures.organization();
        long patient = Fixtures.patient(org);
        long study = Fixtures.study(org);
        Fixtures.enrol(study, patient);
        for (String method : List.of("POST", "DELETE")) {
            for (Object bad : List.of(patient, String.valueOf(patient), Map.of("id", patient))) {
                refused(Personas.mary(), method, "/api/v1/studies/" + study + "/patients",
                        Map.of("patientIds", bad), "patientIds");
            }
        }
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/studies/" + study + "/patients")
                .then().statusCode(200).body("results.id", contains((int) patient));
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("patientIds", List.of(patient)))
                .when().delete("/api/v1/studies/" + study + "/patients")
                .then().statusCode(204);
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/studies/" + study + "/patients")
                .then().statusCode(200).body("count", equalTo(0));
    }
}
