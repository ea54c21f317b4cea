package org.jupyterhealth.exchange.systemtests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.http.ContentType;

/**
 * Admin flows that create accounts, clients and authorization codes in identity-service through its /internal API
 * (docs/internal-api.md). Skipped while identity-service does not serve /internal/accounts yet.
 */
@Order(3)
@ExtendWith(SystemStack.class)
class AdminAccountsIT {

    @BeforeEach
    void identityServesInternalApi() throws IOException, InterruptedException {
        int identityPort = SystemStack.IDENTITY_PORT;
        HttpResponse<String> probe = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + identityPort + "/internal/accounts/10001")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Assumptions.assumeTrue(probe.statusCode() == 401 || probe.statusCode() == 403,
                "identity-service does not serve /internal/accounts yet");
    }

    @Test
    void managerCreatesAPatientWhoSignsInAfterRedeemingAnInvitation() throws Exception {
        String mary = EndToEndIT.passwordToken("manager_mary@example.com");
        String email = "sys-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        Number patient = given().auth().oauth2(mary).contentType(ContentType.JSON)
                .body("{\"organizationId\": 20003, \"telecomEmail\": \"" + email
                        + "\", \"nameFamily\": \"Sys\", \"nameGiven\": \"Test\"}")
                .when().post("/api/v1/patients")
                .then().statusCode(201).body("telecomEmail", equalTo(email)).extract().path("id");

        String token = given().auth().oauth2(mary).contentType(ContentType.JSON)
                .body("{\"patientId\": " + patient + ", \"clientId\": 1, \"sendEmail\": false}")
                .when().post("/api/v1/invitation")
                .then().statusCode(201).body("invitationLink", startsWith("https://carex.ai/invitation/"))
                .extract().path("token");
        Map<String, Object> grant = given().contentType(ContentType.JSON)
                .when().post("/api/v1/invitation/" + token)
                .then().statusCode(200).body("grant.code", notNullValue()).extract().path("grant");

        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(token.getBytes());
        String access = given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "authorization_code").formParam("code", grant.get("code"))
                .formParam("redirect_uri", grant.get("redirect_uri")).formParam("client_id", grant.get("client_id"))
                .formParam("code_verifier", verifier)
                .when().post("/o/token/").then().statusCode(200).extract().path("access_token");
        given().auth().oauth2(access).when().get("/api/v1/patients/me")
                .then().statusCode(200).body("id", equalTo(patient));
    }

    @Test
    void practitionerClientKeyGetsAClientCredentialsTokenActingAsThePractitioner() {
        String mary = EndToEndIT.passwordToken("manager_mary@example.com");
        String key = given().auth().oauth2(mary).contentType(ContentType.JSON).body("{\"label\": \"notebook\"}")
                .when().post("/api/v1/practitioner_clients").then().statusCode(201).extract().path("key");
        String access = given().header("Authorization", "Basic " + key)
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .when().post("/o/token/").then().statusCode(200).extract().path("access_token");
        given().auth().oauth2(access).when().get("/api/v1/patients?organization_id=20003")
                .then().statusCode(200).body("count", equalTo(2));
    }
}
