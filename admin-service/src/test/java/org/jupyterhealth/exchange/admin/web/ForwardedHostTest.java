package org.jupyterhealth.exchange.admin.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.Personas;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A forged forwarded host is the client's error (400 in the admin dialect), never a 500. */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class ForwardedHostTest {

    @Test
    void refusesAnUnparseableForwardedHostWith400() {
        given().auth().oauth2(Personas.mary()).header("X-Forwarded-Host", "evil/<x>")
                .when().get("/api/v1/users/profile/")
                .then().statusCode(400)
                .body("detail", equalTo("Bad request."));
    }
}
