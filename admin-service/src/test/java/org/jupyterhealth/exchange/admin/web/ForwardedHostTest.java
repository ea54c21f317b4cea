package org.jupyterhealth.exchange.admin.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.Personas;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Links admin-service writes come from its configured public URL ({@code http://localhost:8000} in the tests),
 * whatever host the request names: neither a forged {@code Host} nor forwarded headers (which admin-service does
 * not read) steer them, and none of them produces a 500.
 */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class ForwardedHostTest {

    @Test
    void anUnparseableForwardedHostIsIgnored() {
        given().auth().oauth2(Personas.mary()).header("X-Forwarded-Host", "evil/<x>")
                .when().get("/api/v1/users/profile/")
                .then().statusCode(200)
                .body("email", equalTo("manager_mary@example.com"));
    }

    @Test
    void pagingLinksAreOnThePublicUrlWhateverHostTheRequestNames() {
        given().auth().oauth2(Personas.admin()).header("Host", "evil.example")
                .when().get("/api/v1/organizations?limit=2&offset=2")
                .then().statusCode(200)
                .body("next", startsWith("http://localhost:8000/api/v1/organizations?"))
                .body("next", equalTo("http://localhost:8000/api/v1/organizations?offset=4&limit=2"))
                .body("previous", equalTo("http://localhost:8000/api/v1/organizations?limit=2"));
        given().auth().oauth2(Personas.admin()).header("X-Forwarded-Host", "evil.example")
                .header("X-Forwarded-Proto", "https").header("Forwarded", "host=evil.example;proto=https")
                .when().get("/api/v1/organizations/?page=2&pageSize=2")
                .then().statusCode(200)
                .body("next", equalTo("http://localhost:8000/api/v1/organizations/?page=3&pageSize=2"))
                .body("previous", equalTo("http://localhost:8000/api/v1/organizations/?pageSize=2"));
    }
}
