package org.jupyterhealth.exchange.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The first path through the whole system: a token from identity-service, used on admin-service, via the gateway. */
@Order(1)
@ExtendWith(SystemStack.class)
class EndToEndIT {

    static String passwordToken(String email) {
        return given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "password")
                .formParam("client_id", "jhe-demo")
                .formParam("username", email)
                .formParam("password", "Jhe1234!")
                .formParam("scope", "read write")
                .when().post("/o/token/")
                .then().statusCode(200)
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(36000))
                .body("access_token", startsWith("eyJ"))
                .extract().path("access_token");
    }

    @Test
    void demoManagerGetsATokenAndReadsHerProfile() {
        String token = passwordToken("manager_mary@example.com");

        given().auth().oauth2(token)
                .when().get("/api/v1/users/profile")
                .then().statusCode(200)
                .body("id", equalTo(10002))
                .body("email", equalTo("manager_mary@example.com"))
                .body("userType", equalTo("practitioner"));
    }

    @Test
    void theGuidesFhirSearchWorksAsCurlSendsIt() throws Exception {
        String token = passwordToken("manager_mary@example.com");
        // curl sends the guide's URL as written: the '|' of the code parameter is not escaped
        // (HTTP/1.0, so that the answer comes whole, not in chunks)
        String request = "GET /fhir/r5/Observation?patient._has:Group:member:_id=30001&patient=40001"
                + "&code=https://w3id.org/openmhealth|omh:blood-pressure:4.0 HTTP/1.0\r\n"
                + "Host: localhost:" + SystemStack.GATEWAY_PORT + "\r\nAuthorization: Bearer " + token
                + "\r\nConnection: close\r\n\r\n";
        String answer;
        try (Socket socket = new Socket("127.0.0.1", SystemStack.GATEWAY_PORT)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(answer).startsWith("HTTP/1.0 200");
        assertThat(answer)
                .contains("\"resourceType\":\"Bundle\"")
                .contains("\"code\":\"omh:blood-pressure:4.0\"")
                .contains("\"reference\":\"Patient/40001\"");
    }

    @Test
    void profileWithoutATokenIs401() {
        given()
                .when().get("/api/v1/users/profile")
                .then().statusCode(401)
                .body("detail", equalTo("Authentication credentials were not provided."));
    }

    @Test
    void discoveryNamesTheGatewayAsIssuer() {
        given()
                .when().get("/o/.well-known/openid-configuration")
                .then().statusCode(200)
                .body("issuer", equalTo(SystemStack.BASE_URL + "/o"))
                .body("token_endpoint", equalTo(SystemStack.BASE_URL + "/o/token/"));
    }

    @Test
    void aWrongPasswordIsRefusedWithoutSayingWhichPartWasWrong() {
        given().contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "password").formParam("client_id", "jhe-demo")
                .formParam("username", "manager_mary@example.com").formParam("password", "jhe1234!")
                .when().post("/o/token/")
                .then().statusCode(400)
                .header("Cache-Control", "no-store")
                .body("error", equalTo("invalid_grant"));
    }
}
