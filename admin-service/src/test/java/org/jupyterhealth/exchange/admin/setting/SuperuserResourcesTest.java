package org.jupyterhealth.exchange.admin.setting;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.Fixtures;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.Personas;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Settings, practitioners, data sources, clients, practitioner clients, invitations and the schema. */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class SuperuserResourcesTest {

    @Test
    void settingsAndPractitionersAreForSuperusersOnly() {
        for (String path : List.of("/api/v1/jhe_settings", "/api/v1/practitioners")) {
            given().auth().oauth2(Personas.admin()).when().get(path).then().statusCode(200);
            given().auth().oauth2(Personas.mary()).when().get(path).then().statusCode(403);
            given().auth().oauth2(Personas.peter()).when().get(path).then().statusCode(403);
            given().when().get(path).then().statusCode(401);
        }
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("key", "evil.setting", "valueType", "string", "value", "bad"))
                .when().post("/api/v1/jhe_settings").then().statusCode(403);
        given().auth().oauth2(Personas.admin()).when().get("/api/v1/jhe_settings?pageSize=100")
                .then().body("results.key", not(hasItem("evil.setting")))
                .body("results.find { it.key == 'auth.patient.invitation_expiration_days' }.resolvedValue",
                        equalTo(7));
    }

    @Test
    void settingRoundTrip() {
        String key = Fixtures.unique("roundtrip.test");
        Number id = given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("key", key, "valueType", "int", "value", "42"))
                .when().post("/api/v1/jhe_settings").then().statusCode(201)
                .body("resolvedValue", equalTo(42)).extract().path("id");
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("valueType", "bool", "value", "yes"))
                .when().patch("/api/v1/jhe_settings/" + id).then().statusCode(200).body("resolvedValue", equalTo(true));
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON).body(Map.of("key", key + ".x"))
                .when().post("/api/v1/jhe_settings").then().statusCode(400);
        given().auth().oauth2(Personas.admin()).when().delete("/api/v1/jhe_settings/" + id).then().statusCode(204);
    }

    @Test
    void superuserCreatesAndDeletesAPractitioner() {
        String email = Fixtures.unique("prac") + "@example.org";
        Number id = given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("telecomEmail", email, "nameFamily", "last", "nameGiven", "first",
                        "organizationId", 20003))
                .when().post("/api/v1/practitioners").then().statusCode(201)
                .body("telecomEmail", equalTo(email)).body("organizations[0].id", equalTo(20003))
                .extract().path("id");
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON).body(Map.of("organizationId", 20003))
                .when().post("/api/v1/practitioners").then().statusCode(400);
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("telecomEmail", "x@example.org", "organizationId", 999999))
                .when().post("/api/v1/practitioners").then().statusCode(400)
                .body("detail", equalTo("Organization not found."));
        given().auth().oauth2(Personas.admin()).when().delete("/api/v1/practitioners/" + id).then().statusCode(204);
        given().auth().oauth2(Personas.admin()).when().get("/api/v1/practitioners/" + id).then().statusCode(404);
    }

    @Test
    void dataSourcesAreReadByAllAndWrittenBySuperusers() {
        given().auth().oauth2(Personas.peter()).when().get("/api/v1/data_sources")
                .then().statusCode(200)
                .body("results.find { it.id == 70001 }.supportedScopes.codingCode",
                        hasItem("omh:blood-pressure:4.0"));
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of("name", "Device!"))
                .when().post("/api/v1/data_sources").then().statusCode(403);
        Number id = given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON).body(Map.of("name", "Device!"))
                .when().post("/api/v1/data_sources").then().statusCode(201).body("type", equalTo("personal_device"))
                .extract().path("id");
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON).body(Map.of())
                .when().post("/api/v1/data_sources").then().statusCode(400);
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of("scope_code_id", 50002))
                .when().post("/api/v1/data_sources/" + id + "/supported_scopes").then().statusCode(403);
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON).body(Map.of("scope_code_id", 50002))
                .when().post("/api/v1/data_sources/" + id + "/supported_scopes").then().statusCode(201);
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON).body(Map.of("scope_code_id", 50002))
                .when().post("/api/v1/data_sources/" + id + "/supported_scopes").then().statusCode(409);
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/data_sources/" + id + "/supported_scopes")
                .then().statusCode(200).body("[0].scopeCode.codingCode", equalTo("omh:blood-pressure:4.0"));
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/data_sources/all_scopes")
                .then().statusCode(200).body("size()", equalTo(17));
        given().auth().oauth2(Personas.admin()).when().delete("/api/v1/data_sources/" + id).then().statusCode(204);
        given().auth().oauth2(Personas.admin()).when().get("/api/v1/data_sources/" + id).then().statusCode(404);
    }

    @Test
    void superuserRegistersAPatientClientInIdentityService() {
        String clientId = Fixtures.unique("app");
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON).body(Map.of("name", "App"))
                .when().post("/api/v1/clients").then().statusCode(400)
                .body("errors.clientId", notNullValue()).body("errors.invitationUrl", notNullValue());
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("name", "App", "clientId", clientId, "invitationUrl", "https://app.example/CODE"))
                .when().post("/api/v1/clients").then().statusCode(403);
        Number id = given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "App", "clientId", clientId, "invitationUrl", "https://app.example/CODE"))
                .when().post("/api/v1/clients").then().statusCode(201)
                .body("clientId", equalTo(clientId))
                .header("Location", matchesPattern(".*/api/v1/clients/[0-9]+$")).extract().path("id");
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("invitationUrl", "https://app.example/v2/CODE"))
                .when().patch("/api/v1/clients/" + id).then().statusCode(200)
                .body("invitationUrl", equalTo("https://app.example/v2/CODE"));
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON).body(Map.of("data_source_id", 70001))
                .when().post("/api/v1/clients/" + id + "/data_sources").then().statusCode(201)
                .header("Location", endsWith("/api/v1/clients/" + id + "/data_sources"));
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/clients/" + id + "/data_sources")
                .then().statusCode(200).body("[0].id", equalTo(70001));
        given().auth().oauth2(Personas.admin()).when().delete("/api/v1/clients/" + id).then().statusCode(204);
    }

    @Test
    void practitionerClientsAreSelfScopedAndPatientsAreRefused() {
        Map<String, Object> created = given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("label", "my laptop"))
                .when().post("/api/v1/practitioner_clients").then().statusCode(201)
                .body("label", equalTo("my laptop"))
                .body("name", startsWith("_practitioner_client_80001_"))
                .header("Location", matchesPattern(".*/api/v1/practitioner_clients/[0-9]+$"))
                .body("key", notNullValue()).extract().as(Map.class);
        given().auth().oauth2(Personas.megan()).when().get("/api/v1/practitioner_clients/" + created.get("id"))
                .then().statusCode(404);
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/practitioner_clients")
                .then().statusCode(200).body("results.id", hasItem(created.get("id")));
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/clients?page_size=1000")
                .then().body("results.name", not(hasItem(created.get("name"))));
        given().auth().oauth2(Personas.peter()).contentType(ContentType.JSON).body(Map.of("label", "x"))
                .when().post("/api/v1/practitioner_clients").then().statusCode(403)
                .body("detail", equalTo("Only practitioner users can manage practitioner clients."));
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of("label", "y"))
                .when().put("/api/v1/practitioner_clients/" + created.get("id")).then().statusCode(405);
        given().auth().oauth2(Personas.mary()).when().delete("/api/v1/practitioner_clients/" + created.get("id"))
                .then().statusCode(204);
    }

    @Test
    void invitationIsRedeemedOnceForAnAuthorizationCode() {
        given().auth().oauth2(Personas.victor()).contentType(ContentType.JSON)
                .body(Map.of("patient_id", 40001, "client_id", 1, "send_email", false))
                .when().post("/api/v1/invitation").then().statusCode(403);
        Map<String, Object> invitation = given().auth().oauth2(Personas.megan()).contentType(ContentType.JSON)
                .body(Map.of("patient_id", 40001, "client_id", 1, "send_email", false))
                .when().post("/api/v1/invitation").then().statusCode(201)
                .body("invitationLink", startsWith("https://carex.ai/invitation/localhost%3A8000_"))
                .body("status", equalTo("issued")).extract().as(Map.class);
        String token = (String) invitation.get("token");

        given().contentType(ContentType.JSON).when().post("/api/v1/invitation/" + token)
                .then().statusCode(200)
                .body("grant.grant_type", equalTo("authorization_code"))
                .body("grant.client_id", equalTo("carex"))
                .body("grant.code", notNullValue())
                .body("token_endpoint", containsString("/o/token/"));
        given().contentType(ContentType.JSON).when().post("/api/v1/invitation/" + "A".repeat(32))
                .then().statusCode(404).body("detail", equalTo("Invitation not found or already used."));
        Number invitationId = (Number) invitation.get("id");
        given().auth().oauth2(Personas.mark()).when().get("/api/v1/invitation/" + invitationId).then().statusCode(403);
        given().auth().oauth2(Personas.megan()).when().get("/api/v1/invitation/" + invitationId)
                .then().statusCode(200).body("status", equalTo("redeemed")).body("token", equalTo(null));
        given().auth().oauth2(Personas.megan()).when().delete("/api/v1/invitation/" + invitationId)
                .then().statusCode(204);
        given().contentType(ContentType.JSON).when().post("/api/v1/invitation/" + token)
                .then().statusCode(403).body("detail", equalTo("Invitation has been cancelled."));
        given().auth().oauth2(Personas.megan()).when().get("/api/v1/patients/40001/invitation_link?application_id=1")
                .then().statusCode(200).body("invitationLink", startsWith("https://carex.ai/invitation/"));
    }

    @Test
    void theSchemaIsPublicYamlOrJsonUnderBothPaths() {
        given().when().get("/api/schema/").then().statusCode(200)
                .body(containsString("/api/v1/organizations")).body(containsString("/fhir/r5/Observation"))
                .body(containsString("bearer"));
        given().when().get("/api/schema?format=json").then().statusCode(200)
                .body("info.title", equalTo("JupyterHealth Exchange"));
        given().redirects().follow(false).when().get("/api/v1/schema/?format=json").then().statusCode(200)
                .body("paths", notNullValue());
        given().redirects().follow(false).when().get("/api/v1/schema/").then().statusCode(200)
                .contentType(containsString("yaml"))
                .body(containsString("/api/v1/patients"));
        given().when().get("/api/v1/schema/swagger-ui/").then().statusCode(200).body(containsString("swagger-ui"));
        given().when().get("/api/schema/redoc/").then().statusCode(200).body(containsString("redoc"));
    }

    private static void createdAt(String collection, Map<String, Object> body) {
        Response created = given().auth().oauth2(Personas.admin())
                .contentType(ContentType.JSON).body(body).when().post(collection);
        created.then().statusCode(201);
        String location = created.header("Location");
        assertThat(location).startsWith("http").endsWith(collection + "/" + created.path("id"));
        given().auth().oauth2(Personas.admin()).when().get(collection + "/" + created.path("id"))
                .then().statusCode(200);
    }

    @Test
    void everyCreateNamesTheLocationOfWhatItCreated() {
        createdAt("/api/v1/jhe_settings", Map.of("key", Fixtures.unique("located.setting"), "value", "v"));
        createdAt("/api/v1/data_sources", Map.of("name", "Located"));
        createdAt("/api/v1/practitioners",
                Map.of("telecom_email", Fixtures.unique("located") + "@example.org"));
        createdAt("/api/v1/users", Map.of("email", Fixtures.unique("located-user") + "@example.org",
                "user_type", "patient"));
    }
}
