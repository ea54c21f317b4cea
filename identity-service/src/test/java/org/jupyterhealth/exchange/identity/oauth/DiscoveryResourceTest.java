package org.jupyterhealth.exchange.identity.oauth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class DiscoveryResourceTest {

    @Test
    void publishesTheIssuerTokenEndpointAndKeys() {
        given()
                .when().get("/o/.well-known/openid-configuration")
                .then().statusCode(200)
                .body("issuer", equalTo("http://localhost:8000/o"))
                .body("token_endpoint", equalTo("http://localhost:8000/o/token/"))
                .body("jwks_uri", equalTo("http://localhost:8000/o/.well-known/jwks.json"))
                .body("id_token_signing_alg_values_supported", equalTo(java.util.List.of("RS256")))
                .body("scopes_supported", hasItem("read"));
    }

    @Test
    void publishesOnlyPublicRsaKeysWithKeyIds() {
        given()
                .when().get("/o/.well-known/jwks.json")
                .then().statusCode(200)
                .body("keys.kty", everyItem(equalTo("RSA")))
                .body("keys.alg", everyItem(equalTo("RS256")))
                .body("keys[0].kid", notNullValue())
                .body("keys[0]", not(hasKey("d")))
                .body("keys[0]", not(hasKey("p")));
    }
}
