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
        return TestTokens.badAuthorizations().entrySet().stream()
                .map(bad -> Arguments.of(bad.getKey(), bad.getValue()));
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
