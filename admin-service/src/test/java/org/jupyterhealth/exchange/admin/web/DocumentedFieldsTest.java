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
    void aClientsIdIsCheckedAndCannotBeChanged() {
        String clientId = Fixtures.unique("app");
        Number id = given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "App", "clientId", clientId, "invitationUrl", "https://app.example/CODE"))
                .when().post("/api/v1/clients").then().statusCode(201).extract().path("id");
        Map<String, Object> full = Map.of("name", "Renamed", "clientId", clientId,
                "invitationUrl", "https://app.example/v2/CODE");
        for (String method : List.of("PUT", "PATCH")) {
            for (Object bad : List.of(123, true, List.of(clientId), Map.of("id", clientId), "", "bad id!",
                    "x".repeat(101), "other-" + clientId)) {
                refused(Personas.admin(), method, "/api/v1/clients/" + id, with(full, "clientId", bad), "clientId");
            }
        }
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(with(full, "clientId", "other-" + clientId))
                .when().patch("/api/v1/clients/" + id)
                .then().statusCode(400).body("detail", equalTo("clientId: The client id cannot be changed."));
        given().auth().oauth2(Personas.admin()).when().get("/api/v1/clients/" + id)
                .then().statusCode(200).body("name", equalTo("App")).body("clientId", equalTo(clientId))
                .body("invitationUrl", equalTo("https://app.example/CODE"));
        assertThat(IdentityStandIn.CLIENTS.get(id.longValue())).containsEntry("clientId", clientId)
                .containsEntry("name", "App");

        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON).body(full)
                .when().put("/api/v1/clients/" + id)
                .then().statusCode(200).body("name", equalTo("Renamed")).body("clientId", equalTo(clientId))
                .body("invitationUrl", equalTo("https://app.example/v2/CODE"));
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "Again", "client_id", clientId))
                .when().patch("/api/v1/clients/" + id)
                .then().statusCode(200).body("name", equalTo("Again")).body("clientId", equalTo(clientId));
    }

    @Test
    void aPutOfAClientCarriesEveryRequiredField() {
        String clientId = Fixtures.unique("app");
        Number id = given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "App", "clientId", clientId, "invitationUrl", "https://app.example/CODE"))
                .when().post("/api/v1/clients").then().statusCode(201).extract().path("id");
        Map<String, Object> full = Map.of("name", "Renamed", "clientId", clientId,
                "invitationUrl", "https://app.example/v2/CODE");
        for (String field : List.of("name", "clientId", "invitationUrl")) {
            given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON).body(without(full, field))
                    .when().put("/api/v1/clients/" + id)
                    .then().statusCode(400).body("errors." + field, contains("This field is required."));
        }
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON).body(Map.of())
                .when().put("/api/v1/clients/" + id)
                .then().statusCode(400)
                .body("errors.keySet()", containsInAnyOrder("name", "clientId", "invitationUrl"));
        given().auth().oauth2(Personas.admin()).when().get("/api/v1/clients/" + id)
                .then().statusCode(200).body("name", equalTo("App"));
        // a PATCH changes what it names
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON).body(Map.of("name", "Patched"))
                .when().patch("/api/v1/clients/" + id)
                .then().statusCode(200).body("name", equalTo("Patched"));
    }

    @Test
    void aUsersEmailAndTypeAreCheckedAndCannotBeChanged() {
        String email = Fixtures.unique("user") + "@example.org";
        long id = IdentityStandIn.createAccount(email, "practitioner");
        String path = "/api/v1/users/" + id;
        Map<String, Object> full = Map.of("email", email, "firstName", "First", "lastName", "Last",
                "userType", "practitioner");
        for (String method : List.of("PUT", "PATCH")) {
            for (Object bad : NOT_AN_EMAIL) {
                refused(Personas.admin(), method, path, with(full, "email", bad), "email");
            }
            refused(Personas.admin(), method, path, with(full, "email", "someone.else@example.org"), "email");
            for (Object bad : List.of("", "   ", "not-in-enum", "Practitioner", 42, true, List.of("patient"))) {
                refused(Personas.admin(), method, path, with(full, "userType", bad), "userType");
            }
            refused(Personas.admin(), method, path, with(full, "userType", "patient"), "userType");
        }
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(with(full, "email", "someone.else@example.org"))
                .when().patch(path)
                .then().statusCode(400).body("detail", equalTo("email: The e-mail address cannot be changed."));
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON).body(with(full, "userType", "patient"))
                .when().patch(path)
                .then().statusCode(400).body("detail", equalTo("userType: The user type cannot be changed."));
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON).body(without(full, "email"))
                .when().put(path)
                .then().statusCode(400).body("errors.email", contains("This field is required."));
        assertThat(IdentityStandIn.ACCOUNTS.get(id)).containsEntry("email", email)
                .containsEntry("userType", "practitioner").containsEntry("firstName", "");

        // the same values (the e-mail in any case) pass, and the names change
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(with(full, "email", email.toUpperCase()))
                .when().put(path)
                .then().statusCode(200).body("email", equalTo(email)).body("firstName", equalTo("First"))
                .body("userType", equalTo("practitioner"));
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("lastName", "Patched", "userType", "practitioner"))
                .when().patch(path)
                .then().statusCode(200).body("lastName", equalTo("Patched"));
    }

    @Test
    void aPractitionersEmailIsCheckedAndCannotBeChangedAndAPutCarriesIt() {
        String email = Fixtures.unique("prac") + "@example.org";
        Number id = given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("telecomEmail", email, "nameFamily", "Before"))
                .when().post("/api/v1/practitioners")
                .then().statusCode(201).extract().path("id");
        String path = "/api/v1/practitioners/" + id;
        Map<String, Object> full = Map.of("telecomEmail", email, "nameFamily", "After", "nameGiven", "Pat");
        for (String method : List.of("PUT", "PATCH")) {
            for (Object bad : NOT_AN_EMAIL) {
                refused(Personas.admin(), method, path, with(full, "telecomEmail", bad), "telecomEmail");
            }
            refused(Personas.admin(), method, path, with(full, "telecomEmail", "someone.else@example.org"),
                    "telecomEmail");
        }
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON).body(without(full, "telecomEmail"))
                .when().put(path)
                .then().statusCode(400).body("errors.telecomEmail", contains("This field is required."));
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("telecom_email", "someone.else@example.org", "name_family", "After"))
                .when().patch(path)
                .then().statusCode(400)
                .body("detail", equalTo("telecomEmail: The e-mail address cannot be changed."));
        given().auth().oauth2(Personas.admin()).when().get(path)
                .then().statusCode(200).body("nameFamily", equalTo("Before")).body("telecomEmail", equalTo(email));

        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(with(full, "telecomEmail", email.toUpperCase()))
                .when().put(path)
                .then().statusCode(200).body("nameFamily", equalTo("After")).body("telecomEmail", equalTo(email));
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON).body(Map.of("nameGiven", "Sam"))
                .when().patch(path)
                .then().statusCode(200).body("nameGiven", equalTo("Sam"));
    }

    @Test
    void aPatientsEmailIsCheckedAndCannotBeChanged() {
        long org = Fixtures.organization();
        long patient = Fixtures.patient(org);
        String path = "/api/v1/patients/" + patient + "?organization_id=" + org;
        String email = given().auth().oauth2(Personas.mary()).when().get(path)
                .then().statusCode(200).extract().path("telecomEmail");
        for (String method : List.of("PUT", "PATCH")) {
            for (Object bad : NOT_AN_EMAIL) {
                refused(Personas.mary(), method, path, Map.of("telecomEmail", bad, "nameFamily", "Changed"),
                        "telecomEmail");
            }
            refused(Personas.mary(), method, path, Map.of("telecomEmail", "someone.else@example.org",
                    "nameFamily", "Changed"), "telecomEmail");
        }
        given().auth().oauth2(Personas.mary()).when().get(path)
                .then().statusCode(200).body("nameFamily", equalTo("Doe")).body("telecomEmail", equalTo(email));
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("telecomEmail", email.toUpperCase(), "nameFamily", "Changed"))
                .when().patch(path)
                .then().statusCode(200).body("nameFamily", equalTo("Changed")).body("telecomEmail", equalTo(email));
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
    void aPutOfADataSourceOrASettingCarriesItsName() {
        Number source = given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "Device", "type", "personal_device"))
                .when().post("/api/v1/data_sources").then().statusCode(201).extract().path("id");
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON).body(Map.of("type", "medical_device"))
                .when().put("/api/v1/data_sources/" + source)
                .then().statusCode(400).body("errors.name", contains("This field is required."));
        for (String method : List.of("PUT", "PATCH")) {
            refused(Personas.admin(), method, "/api/v1/data_sources/" + source, Map.of("name", "   "), "name");
        }
        given().auth().oauth2(Personas.admin()).when().get("/api/v1/data_sources/" + source)
                .then().statusCode(200).body("name", equalTo("Device")).body("type", equalTo("personal_device"));
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "Renamed", "type", "medical_device"))
                .when().put("/api/v1/data_sources/" + source)
                .then().statusCode(200).body("name", equalTo("Renamed")).body("type", equalTo("medical_device"));

        String key = Fixtures.unique("put.setting");
        Number setting = given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("key", key, "valueType", "string", "value", "before"))
                .when().post("/api/v1/jhe_settings").then().statusCode(201).extract().path("id");
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("valueType", "string", "value", "after"))
                .when().put("/api/v1/jhe_settings/" + setting)
                .then().statusCode(400).body("errors.key", contains("This field is required."));
        for (String method : List.of("PUT", "PATCH")) {
            refused(Personas.admin(), method, "/api/v1/jhe_settings/" + setting,
                    Map.of("key", " ", "valueType", "string", "value", "after"), "key");
        }
        given().auth().oauth2(Personas.admin()).when().get("/api/v1/jhe_settings/" + setting)
                .then().statusCode(200).body("key", equalTo(key)).body("resolvedValue", equalTo("before"));
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("key", key, "valueType", "string", "value", "after"))
                .when().put("/api/v1/jhe_settings/" + setting)
                .then().statusCode(200).body("resolvedValue", equalTo("after"));
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
