package org.jupyterhealth.exchange.identity.support;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** Small helpers for the token endpoint in tests. */
public final class Tokens {
    private Tokens() {
    }

    public static RequestSpecification form() {
        return given().contentType("application/x-www-form-urlencoded");
    }

    /** A password-grant token response of the public client {@code clientId}. */
    public static JsonPath password(String clientId, String email) {
        return form().formParam("grant_type", "password").formParam("client_id", clientId)
                .formParam("username", email).formParam("password", IdentityFixtures.PASSWORD)
                .formParam("scope", "openid read write")
                .when().post("/o/token/")
                .then().statusCode(200)
                .extract().jsonPath();
    }

    /** A service token of admin-service (scope internal), from the real token endpoint. */
    public static String serviceToken() {
        return form().auth().preemptive().basic("admin-service", "admin-service-dev-secret")
                .formParam("grant_type", "client_credentials")
                .when().post("/o/token/")
                .then().statusCode(200)
                .extract().path("access_token");
    }

    /** The claims of a JWT, unverified (tests verify signatures where that is the point). */
    public static JsonPath claims(String jwt) {
        String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        return JsonPath.from(payload);
    }

    public static Map<String, Object> claimMap(String jwt) {
        return claims(jwt).getMap("");
    }
}
