package org.jupyterhealth.exchange.identity.oauth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class DiscoveryResourceTest {

    @Test
    void publishesEveryEndpointUnderTheConfiguredPublicUrl() {
        given()
                .when().get("/o/.well-known/openid-configuration")
                .then().statusCode(200)
                .body("issuer", equalTo("http://localhost:8000/o"))
                .body("authorization_endpoint", equalTo("http://localhost:8000/o/authorize/"))
                .body("token_endpoint", equalTo("http://localhost:8000/o/token/"))
                .body("userinfo_endpoint", equalTo("http://localhost:8000/o/userinfo/"))
                .body("revocation_endpoint", equalTo("http://localhost:8000/o/revoke_token/"))
                .body("introspection_endpoint", equalTo("http://localhost:8000/o/introspect/"))
                .body("jwks_uri", equalTo("http://localhost:8000/o/.well-known/jwks.json"));
    }

    @Test
    void describesWhatTheServerSupports() {
        given()
                .when().get("/o/.well-known/openid-configuration/")
                .then().statusCode(200)
                .body("scopes_supported", hasItems("openid", "email", "read", "write", "offline_access"))
                .body("scopes_supported", not(hasItem("internal")))
                .body("response_types_supported", equalTo(List.of("code")))
                .body("grant_types_supported", containsInAnyOrder("authorization_code", "refresh_token",
                        "client_credentials", "password", "urn:ietf:params:oauth:grant-type:token-exchange"))
                .body("code_challenge_methods_supported", equalTo(List.of("S256")))
                .body("token_endpoint_auth_methods_supported",
                        hasItems("client_secret_basic", "client_secret_post"))
                .body("id_token_signing_alg_values_supported", equalTo(List.of("RS256")))
                .body("subject_types_supported", equalTo(List.of("public")))
                .body("claims_supported", hasItems("sub", "email", "email_verified", "given_name", "family_name"));
    }

    @Test
    void endpointsNeverFollowTheHostOrForwardedHostARequestNames() {
        given().header("Host", "evil.example")
                .when().get("/o/.well-known/openid-configuration")
                .then().statusCode(200)
                .body("token_endpoint", equalTo("http://localhost:8000/o/token/"))
                .body("authorization_endpoint", equalTo("http://localhost:8000/o/authorize/"));
        given().header("X-Forwarded-Host", "evil.example").header("X-Forwarded-Proto", "https")
                .when().get("/o/.well-known/openid-configuration")
                .then().statusCode(200)
                .body("token_endpoint", equalTo("http://localhost:8000/o/token/"))
                .body("authorization_endpoint", equalTo("http://localhost:8000/o/authorize/"))
                .body("jwks_uri", equalTo("http://localhost:8000/o/.well-known/jwks.json"))
                .body("issuer", equalTo("http://localhost:8000/o"));
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
