package org.jupyterhealth.exchange.admin.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.common.testing.TestTokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class UserResourceTest {

    @Test
    void profileDescribesThePractitionerBehindTheToken() {
        given().auth().oauth2(TestTokens.practitioner(10002, "manager_mary@example.com"))
                .when().get("/api/v1/users/profile")
                .then().statusCode(200)
                .body("id", equalTo(10002))
                .body("email", equalTo("manager_mary@example.com"))
                .body("userType", equalTo("practitioner"))
                .body("isSuperuser", equalTo(false))
                .body("patient", nullValue());
    }

    @Test
    void profileAnswersWithATrailingSlashToo() {
        given().auth().oauth2(TestTokens.superuser(10001, "admin@example.com"))
                .when().get("/api/v1/users/profile/")
                .then().statusCode(200)
                .body("id", equalTo(10001))
                .body("isSuperuser", equalTo(true))
                .body("userType", nullValue());
    }

    @Test
    void profileWithoutATokenIs401() {
        given()
                .when().get("/api/v1/users/profile")
                .then().statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"api\"")
                .body("detail", equalTo("Authentication credentials were not provided."));
    }
}
