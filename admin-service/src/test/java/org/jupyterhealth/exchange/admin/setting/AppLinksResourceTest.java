package org.jupyterhealth.exchange.admin.setting;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.Personas;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class AppLinksResourceTest {
    private static final String APPLE = "/.well-known/apple-app-site-association";
    private static final String ANDROID = "/.well-known/assetlinks.json";

    @Test
    void aFileIsItsSettingServedVerbatimToAnyoneAndGoneWithIt() {
        Map<String, Object> association = Map.of("applinks", Map.of("details", List.of(Map.of(
                "appIDs", List.of("ABCDE12345.org.example.jhe"), "components", List.of(Map.of("/", "/invite/*"))))));
        given().when().get(APPLE).then().statusCode(404).body("detail", equalTo("Not found."));

        Number id = given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("key", AppLinks.APPLE, "valueType", "json", "value", association))
                .when().post("/api/v1/jhe_settings").then().statusCode(201).extract().path("id");
        try {
            String body = given().when().get(APPLE).then().statusCode(200)
                    .contentType("application/json")
                    .header("Cache-Control", equalTo("public, max-age=300"))
                    .body("applinks.details[0].appIDs[0]", equalTo("ABCDE12345.org.example.jhe"))
                    .extract().asString();
            assertThat(body).doesNotContain("resolvedValue").doesNotContain("valueType");
        } finally {
            given().auth().oauth2(Personas.admin()).when().delete("/api/v1/jhe_settings/" + id)
                    .then().statusCode(204);
        }
        given().when().get(APPLE).then().statusCode(404);
    }

    @Test
    void aSettingThatHoldsNoJsonDocumentServesNoFile() {
        Number id = given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("key", AppLinks.ANDROID, "valueType", "string", "value", "not a statement list"))
                .when().post("/api/v1/jhe_settings").then().statusCode(201).extract().path("id");
        try {
            given().when().get(ANDROID).then().statusCode(404).body("detail", equalTo("Not found."));
        } finally {
            given().auth().oauth2(Personas.admin()).when().delete("/api/v1/jhe_settings/" + id)
                    .then().statusCode(204);
        }
    }

    @Test
    void androidStatementsAreServedAsAList() {
        List<Object> statements = List.of(Map.of("relation", List.of("delegate_permission/common.handle_all_urls"),
                "target", Map.of("namespace", "android_app", "package_name", "org.example.jhe",
                        "sha256_cert_fingerprints", List.of("AB:CD"))));
        Number id = given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("key", AppLinks.ANDROID, "valueType", "json", "value", statements))
                .when().post("/api/v1/jhe_settings").then().statusCode(201).extract().path("id");
        try {
            given().when().get(ANDROID).then().statusCode(200)
                    .body("[0].target.package_name", equalTo("org.example.jhe"));
        } finally {
            given().auth().oauth2(Personas.admin()).when().delete("/api/v1/jhe_settings/" + id)
                    .then().statusCode(204);
        }
    }
}
