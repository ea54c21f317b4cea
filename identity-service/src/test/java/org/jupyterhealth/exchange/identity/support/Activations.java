package org.jupyterhealth.exchange.identity.support;

import static io.restassured.RestAssured.given;

import java.util.Map;

import io.restassured.response.Response;

/** Accounts created as admin-service creates them (no password), and their activation links, for tests. */
public final class Activations {
    private static final String TOKEN_PARAMETER = "?token=";

    private Activations() {
    }

    /** Registers an account without a password through {@code POST /internal/accounts}; returns its id. */
    public static long accountWithoutPassword(String email) {
        return given().auth().oauth2(Tokens.serviceToken()).contentType("application/json")
                .body(Map.of("email", email, "firstName", "New", "lastName", "Staff", "userType", "practitioner"))
                .when().post("/internal/accounts")
                .then().statusCode(201)
                .extract().jsonPath().getLong("id");
    }

    /** {@code POST /internal/accounts/{id}/activation} as admin-service asks it. */
    public static Response requestLink(long userId) {
        return given().auth().oauth2(Tokens.serviceToken()).when().post("/internal/accounts/" + userId + "/activation");
    }

    /** A new activation link's token for the account. */
    public static String issueToken(long userId) {
        return tokenOf(requestLink(userId).then().statusCode(201).extract().path("link"));
    }

    /** The token of an activation link. */
    public static String tokenOf(String link) {
        return link.substring(link.indexOf(TOKEN_PARAMETER) + TOKEN_PARAMETER.length());
    }
}
