package org.jupyterhealth.exchange.fhir.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.common.testing.TestTokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** fhir-service accepts the exchange's tokens and refuses every bad one with a 401 OperationOutcome. */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
class AuthenticationTest {

    @Test
    void acceptsAValidToken() {
        given().auth().oauth2(TestTokens.patient(10006, "ll_patient_peter@example.com"))
                .when().get("/fhir/r5/_test-probe")
                .then().statusCode(200).body("resourceType", equalTo("Parameters"));
    }

    static Stream<Arguments> badAuthorizations() {
        return Stream.concat(Stream.of(Arguments.of("none", null)), TestTokens.badAuthorizations().entrySet().stream()
                .map(bad -> Arguments.of(bad.getKey(), bad.getValue())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badAuthorizations")
    void refusesWith401OperationOutcome(String kind, String authorization) {
        var request = given();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        request.when().get("/fhir/r5/_test-probe")
                .then().statusCode(401)
                .contentType("application/fhir+json")
                .header("WWW-Authenticate", "Bearer realm=\"fhir\"")
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].severity", equalTo("error"))
                .body("issue[0].code", equalTo("login"));
    }
}
