package org.jupyterhealth.exchange.admin.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

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
 * The URLs admin-service stores and hands to patients (a patient app's {@code invitationUrl}, a study's
 * {@code iconUrl}) are absolute https URLs of public hosts: no script, file or data URL, no address inside a
 * network, however it is spelled, and nothing too long; each is a 400 naming the field and changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class StoredUrlsTest {
    static final List<String> REFUSED = List.of(
            "javascript:alert(document.cookie)", "JavaScript:alert(1)//https://app.example", "file:///etc/passwd",
            "data:text/html,<script>alert(1)</script>", "http://app.example/CODE", "ftp://app.example/CODE",
            "https://localhost/CODE", "https://app.localhost/CODE", "http://localhost:8001/CODE",
            "https://127.0.0.1/CODE", "https://127.1.2.3/CODE", "https://10.0.0.8/CODE", "https://172.16.4.1/CODE",
            "https://192.168.0.1/CODE", "https://169.254.169.254/latest/meta-data/", "https://100.64.0.1/CODE",
            "https://0.0.0.0/CODE", "https://[::1]/CODE", "https://[fe80::1]/CODE", "https://[fd12:3456::1]/CODE",
            "https://[::ffff:127.0.0.1]/CODE", "https://[::]/CODE", "https://2130706433/CODE",
            "https://0x7f.0.0.1/CODE", "https://0177.0.0.1/CODE", "https://127.1/CODE",
            "https://user:secret@app.example/CODE", "//app.example/CODE", "/invitation/CODE", "CODE", "https://",
            "https:app.example", "https://app.example/" + "x".repeat(2000), "https://app.example/a b",
            "https://app.example/\tCODE");
    static final List<String> ACCEPTED = List.of("https://app.example/CODE", "https://carex.ai/invitation/CODE",
            "https://commonhealth.tcp.org?invitation=CODE", "https://8.8.8.8/icons/a.png",
            "HTTPS://App.Example:8443/x?y=z#f");

    @Test
    void aPatientAppsInvitationUrlMustBeAPublicHttpsUrl() {
        for (String url : REFUSED) {
            given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                    .body(Map.of("name", "App", "clientId", Fixtures.unique("app"), "invitationUrl", url))
                    .when().post("/api/v1/clients")
                    .then().statusCode(400).body("errors", hasKey("invitationUrl"));
        }
        String clientId = Fixtures.unique("app");
        Number id = given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "App", "clientId", clientId, "invitationUrl", "https://app.example/CODE"))
                .when().post("/api/v1/clients")
                .then().statusCode(201).extract().path("id");
        for (String url : REFUSED) {
            given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON).body(Map.of("invitationUrl", url))
                    .when().patch("/api/v1/clients/" + id)
                    .then().statusCode(400).body("errors", hasKey("invitationUrl"));
        }
        given().auth().oauth2(Personas.admin()).when().get("/api/v1/clients/" + id)
                .then().statusCode(200).body("invitationUrl", equalTo("https://app.example/CODE"));
        for (String url : ACCEPTED) {
            given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                    .body(Map.of("name", "App", "clientId", clientId, "invitationUrl", url))
                    .when().put("/api/v1/clients/" + id)
                    .then().statusCode(200).body("invitationUrl", equalTo(url));
        }
    }

    @Test
    void aStudysIconUrlMustBeAPublicHttpsUrlOrNone() {
        long org = Fixtures.organization();
        for (String url : REFUSED) {
            given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                    .body(Map.of("organization", org, "name", "Icons", "description", "d", "iconUrl", url))
                    .when().post("/api/v1/studies")
                    .then().statusCode(400).body("errors", hasKey("iconUrl"));
        }
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/studies?organization_id=" + org)
                .then().statusCode(200).body("count", equalTo(0));
        long study = Fixtures.study(org);
        for (String url : REFUSED) {
            given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of("iconUrl", url))
                    .when().patch("/api/v1/studies/" + study)
                    .then().statusCode(400).body("errors", hasKey("iconUrl"));
        }
        for (String url : ACCEPTED) {
            given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of("iconUrl", url))
                    .when().patch("/api/v1/studies/" + study)
                    .then().statusCode(200).body("iconUrl", equalTo(url));
        }
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of("iconUrl", ""))
                .when().patch("/api/v1/studies/" + study)
                .then().statusCode(200).body("iconUrl", equalTo(null));
    }
}
