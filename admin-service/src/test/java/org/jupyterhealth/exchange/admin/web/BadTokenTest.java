package org.jupyterhealth.exchange.admin.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.common.testing.TestTokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Every kind of unacceptable credential gets the admin API's 401, never a 500 and never data. */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class BadTokenTest {

    static Stream<Arguments> badAuthorizations() {
        return Stream.of(
                Arguments.of("malformed", "Bearer not-a-jwt"),
                Arguments.of("empty bearer", "Bearer "),
                Arguments.of("basic instead of bearer", "Basic bWFyeTpKaGUxMjM0IQ=="),
                Arguments.of("expired", "Bearer " + TestTokens.expired()),
                Arguments.of("wrong issuer", "Bearer " + TestTokens.wrongIssuer()),
                Arguments.of("wrong audience", "Bearer " + TestTokens.wrongAudience()),
                Arguments.of("signed by a foreign key", "Bearer " + TestTokens.foreignKey()),
                Arguments.of("tampered payload", "Bearer " + TestTokens.tampered()),
                Arguments.of("alg none", "Bearer " + TestTokens.algNone()),
                Arguments.of("HS256 with the public key", "Bearer " + TestTokens.hs256()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badAuthorizations")
    void refusesWith401InTheAdminDialect(String kind, String authorization) {
        given().header("Authorization", authorization)
                .when().get("/api/v1/users/profile")
                .then().statusCode(401)
                .contentType("application/json")
                .body("detail", equalTo("Authentication credentials were not provided."));
    }
}
