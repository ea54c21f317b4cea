package org.jupyterhealth.exchange.admin.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.Personas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A path id is a plain decimal number, or there is no such resource: {@code /clients/1;x}, {@code /clients/01} or
 * {@code /clients/+1} are not client 1. A control character in a path segment or a query parameter is a 400 naming
 * it, never a database error.
 */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class RequestTargetTest {
    private static final List<String> NOT_IDS = List.of("1;x", "1;", "%2B1", "01", "1.0", "-1", "1%00", " 1",
            "99999999999999999999", "1%3Bx", "0x1", "1e3");

    @Test
    void matrixParametersAndNonCanonicalNumbersNameNoResource() {
        given().auth().oauth2(Personas.admin()).when().get("/api/v1/clients/1").then().statusCode(200);
        for (String id : List.of("1;x", "1;", "01", "%2B1", "1;client=2")) {
            given().auth().oauth2(Personas.admin()).urlEncodingEnabled(false)
                    .when().get("/api/v1/clients/" + id)
                    .then().statusCode(404).body("detail", equalTo("Not found."));
        }
        given().auth().oauth2(Personas.mary()).urlEncodingEnabled(false)
                .when().get("/api/v1/organizations/20003;x/users").then().statusCode(404);
        given().auth().oauth2(Personas.mary()).urlEncodingEnabled(false).contentType(ContentType.JSON)
                .body(Map.of("name", "Renamed"))
                .when().patch("/api/v1/organizations/020003").then().statusCode(404);
    }

    @TestFactory
    Stream<DynamicTest> everyPathIdOfTheApiRefusesWhatIsNotAPlainNumber() throws Exception {
        String document = given().when().get("/api/schema?format=json").then().statusCode(200).extract().asString();
        JsonNode paths = new ObjectMapper().readTree(document).get("paths");
        List<DynamicTest> tests = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = paths.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> path = it.next();
            // admin-service's own paths: the FHIR paths the document lists are fhir-service's, whose ids it tests
            if (!path.getKey().startsWith("/api/") || !path.getKey().contains("{id}")) {
                continue;
            }
            path.getValue().fieldNames().forEachRemaining(method -> {
                for (String id : NOT_IDS) {
                    String url = path.getKey().replace("{id}", id.replace(" ", "%20"));
                    tests.add(DynamicTest.dynamicTest(method.toUpperCase() + " " + url, () -> {
                        Response response = given().auth().oauth2(Personas.admin()).urlEncodingEnabled(false)
                                .contentType(ContentType.JSON).body("{}")
                                .when().request(method.toUpperCase(), url);
                        // 405: /invitation/{id} is also /invitation/{token}, whose only method is POST
                        assertThat(response.statusCode()).as("%s %s: %s", method, url, response.asString())
                                .isIn(400, 404, 405);
                        assertThat(response.asString()).contains("\"detail\"");
                    }));
                }
            });
        }
        assertThat(tests).hasSizeGreaterThan(100);
        return tests.stream();
    }

    @Test
    void controlCharactersInQueryParametersAreRefusedNamingTheParameter() {
        Map<String, String> requests = Map.of(
                "/api/v1/users?email=a%00b@example.org", "email",
                "/api/v1/users/search_by_email?email=a%00b@example.org", "email",
                "/api/v1/patients/global_lookup?email=a%01b@example.org", "email",
                "/api/v1/patients?organization_id=20003&patient_identifier_value=E%001234", "patientIdentifierValue",
                "/api/v1/patients?organizationId=20003%00", "organizationId",
                "/api/v1/studies?organization_id=%1b", "organizationId",
                "/api/v1/organizations?part_of=20003%0A", "partOf");
        requests.forEach((url, parameter) -> given().auth().oauth2(Personas.mary()).urlEncodingEnabled(false)
                .when().get(url)
                .then().statusCode(400).body("errors", hasKey(parameter)));
        given().auth().oauth2(Personas.mary()).urlEncodingEnabled(false)
                .when().get("/api/v1/patients?organization%00id=20003")
                .then().statusCode(400).body("detail", equalTo("query: Control characters are not allowed."));
    }

    @Test
    void controlCharactersInAPathSegmentAreRefused() {
        given().urlEncodingEnabled(false).contentType(ContentType.JSON).body("{}")
                .when().post("/api/v1/invitation/abc%00def")
                .then().statusCode(400).body("errors", hasKey("token"));
        given().auth().oauth2(Personas.admin()).urlEncodingEnabled(false)
                .when().get("/api/v1/clients/1%00").then().statusCode(400);
    }
}
