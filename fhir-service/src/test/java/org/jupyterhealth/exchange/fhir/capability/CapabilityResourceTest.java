package org.jupyterhealth.exchange.fhir.capability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.fhir.support.Links;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** FHIR discovery: the CapabilityStatement and the SMART configuration, public, under both bases. */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
class CapabilityResourceTest {

    @ParameterizedTest
    @ValueSource(strings = { "/fhir/r5", "/FHIR/R5" })
    void metadataIsAPublicCapabilityStatementForTheBaseTheClientUsed(String base) {
        JsonPath body = given()
                .when().get(base + "/metadata")
                .then().statusCode(200)
                .contentType(startsWith("application/fhir+json"))
                .header("Cache-Control", containsString("max-age=3600"))
                .body("resourceType", equalTo("CapabilityStatement"))
                .body("status", equalTo("active"))
                .body("kind", equalTo("instance"))
                .body("fhirVersion", equalTo("5.0.0"))
                .body("format", equalTo(List.of("json")))
                .body("software.name", equalTo("JupyterHealth Exchange"))
                .extract().jsonPath();

        assertThat(body.getString("implementation.url")).isEqualTo(Links.PUBLIC_URL + base + "/");
        assertThat(body.getList("rest[0].resource.type", String.class)).startsWith("Observation", "Patient", "Group",
                "Organization", "Device", "Practitioner").contains("QuestionnaireResponse", "Condition");
        assertThat(body.getString("rest[0].mode")).isEqualTo("server");
    }

    @Test
    void theResourceStoresTypesListTheirWritesAndSearchParameters() {
        JsonPath body = given().when().get("/fhir/r5/metadata").then().statusCode(200).extract().jsonPath();

        String qr = "rest[0].resource.find { it.type == 'QuestionnaireResponse' }";
        assertThat(body.getList(qr + ".interaction.code", String.class))
                .contains("read", "search-type", "create", "update", "patch", "delete");
        assertThat(body.getList(qr + ".searchParam.name", String.class))
                .contains("_id", "_lastUpdated", "patient", "status", "identifier", "questionnaire", "authored",
                        "patient._has:Group:member:_id");
        assertThat(body.getList("rest[0].resource.find { it.type == 'Condition' }.searchParam.name", String.class))
                .contains("code", "category", "date", "clinical-status", "encounter", "onset-date", "recorded-date",
                        "abatement-date", "asserted-date");
        // a search names a FHIR source (or all of them) by _source, the store's own types and the others alike
        for (String type : List.of("Condition", "Observation", "Patient", "Group", "Organization", "Practitioner",
                "Device")) {
            assertThat(body.getList("rest[0].resource.find { it.type == '" + type + "' }.searchParam.name",
                    String.class)).as(type).contains("_source");
        }
    }

    @Test
    void theAuditTrailIsListedAsSearchOnly() {
        JsonPath body = given().when().get("/fhir/r5/metadata").then().statusCode(200).extract().jsonPath();

        String audit = "rest[0].resource.find { it.type == 'AuditEvent' }";
        assertThat(body.getList(audit + ".interaction.code", String.class)).containsExactly("search-type");
        assertThat(body.getList(audit + ".searchParam.name", String.class))
                .containsExactly("patient", "agent", "date", "type", "outcome", "entity");
    }

    @Test
    void bulkExportIsListedAtTheSystemPatientAndGroupLevels() {
        JsonPath body = given().when().get("/fhir/r5/metadata").then().statusCode(200).extract().jsonPath();

        assertThat(body.getList("rest[0].operation.definition", String.class))
                .containsExactly("http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export");
        assertThat(body.getList("rest[0].resource.find { it.type == 'Group' }.operation.definition", String.class))
                .containsExactly("http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export");
        assertThat(body.getList("rest[0].resource.find { it.type == 'Patient' }.operation.definition", String.class))
                .containsExactly("http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export");
    }

    @Test
    void theSeriesOperationIsListedOnObservation() {
        JsonPath body = given().when().get("/fhir/r5/metadata").then().statusCode(200).extract().jsonPath();

        String observation = "rest[0].resource.find { it.type == 'Observation' }";
        assertThat(body.getList(observation + ".operation.name", String.class)).containsExactly("series");
        assertThat(body.getString(observation + ".operation[0].definition"))
                .isEqualTo(Links.PUBLIC_URL + "/fhir/r5/OperationDefinition/Observation-series");
        assertThat(body.getString(observation + ".operation[0].documentation")).contains("_buckets");
    }

    @Test
    void metadataIsServedEvenWithAnInvalidToken() {
        given().header("Authorization", "Bearer not-a-token")
                .when().get("/fhir/r5/metadata")
                .then().statusCode(200).body("resourceType", equalTo("CapabilityStatement"));
    }

    @Test
    void metadataAnswersPlainJsonToClientsAskingForIt() {
        given().accept("application/json")
                .when().get("/fhir/r5/metadata")
                .then().statusCode(200).contentType(startsWith("application/json"))
                .body("resourceType", equalTo("CapabilityStatement"));
    }

    @Test
    void metadataAnswersHead() {
        given()
                .when().head("/FHIR/R5/metadata")
                .then().statusCode(200).contentType(startsWith("application/fhir+json"));
    }

    @Test
    void metadataDateIsStableAcrossRequests() {
        String first = given().get("/fhir/r5/metadata").then().extract().path("date");
        String second = given().get("/FHIR/R5/metadata").then().extract().path("date");
        assertThat(first).isNotBlank().isEqualTo(second);
    }

    @Test
    void observationCapabilitiesListTheSearchParametersServed() {
        JsonPath body = given().get("/fhir/r5/metadata").then().statusCode(200).extract().jsonPath();
        Map<String, Object> observation = body.getMap("rest[0].resource.find { it.type == 'Observation' }");
        assertThat(observation).isNotNull();
        List<Map<String, String>> params = body.getList("rest[0].resource.find { it.type == 'Observation' }.searchParam");
        assertThat(params).extracting(p -> p.get("name") + ":" + p.get("type"))
                .contains("patient:reference", "code:token", "date:date", "_lastUpdated:date", "_id:token",
                        "_has:Group:member:_id:token", "patient._has:Group:member:_id:token", "identifier:token");
        assertThat(body.getList("rest[0].resource.find { it.type == 'Observation' }.interaction.code", String.class))
                .contains("read", "search-type", "create", "delete");
        assertThat(body.getString("rest[0].resource.find { it.type == 'Observation' }.documentation"))
                .contains("w3id.org/openmhealth").contains("valueAttachment");
        assertThat(body.getList("rest[0].resource.find { it.type == 'Patient' }.searchParam.name", String.class))
                .contains("identifier", "family", "given", "name", "birthdate", "_has:Group:member:_id");
        // the FHIR resource store also keeps these types, by UUID
        for (String type : List.of("Patient", "Group", "Organization", "Practitioner", "Device")) {
            assertThat(body.getList("rest[0].resource.find { it.type == '" + type + "' }.interaction.code",
                    String.class)).as(type).containsExactly("read", "search-type", "create", "update", "patch",
                            "delete");
        }
    }

    @Test
    void securityNamesSmartOnFhirWithTheOAuthEndpointsAndEveryInteractionIsExpected() {
        JsonPath body = given().get("/fhir/r5/metadata").then().statusCode(200).extract().jsonPath();
        assertThat(body.getString("rest[0].security.service[0].coding[0].code")).isEqualTo("SMART-on-FHIR");
        List<Map<String, Object>> uris = body.getList("rest[0].security.extension[0].extension");
        assertThat(uris).anySatisfy(u -> {
            assertThat(u.get("url")).isEqualTo("authorize");
            assertThat((String) u.get("valueUri")).isEqualTo(Links.PUBLIC_URL + "/o/authorize/");
        });
        assertThat(uris).anySatisfy(u -> assertThat((String) u.get("valueUri")).endsWith("/o/token/"));
        // only the sub-extensions SMART's oauth-uris extension defines (the revocation endpoint is in the SMART
        // configuration)
        assertThat(uris).extracting(u -> u.get("url")).containsExactly("authorize", "token");
        assertThat(body.getString("rest[0].resource[0].interaction[0].extension[0].url"))
                .endsWith("capabilitystatement-expectation");
        assertThat(body.getString("rest[0].resource[0].interaction[0].extension[0].valueCode")).isEqualTo("SHALL");
        assertThat(body.getList("rest[0].interaction.code", String.class)).contains("batch");
    }

    @Test
    void aForgedHostOrForwardedHeaderNeverReachesAUrl() {
        JsonPath body = given().header("Host", "evil.example").header("X-Forwarded-Proto", "http")
                .header("X-Forwarded-Host", "evil.example").header("Forwarded", "host=evil.example;proto=http")
                .when().get("/FHIR/R5/metadata")
                .then().statusCode(200).extract().jsonPath();
        JsonPath smart = given().header("Host", "evil.example").header("X-Forwarded-Host", "evil.example")
                .when().get("/fhir/r5/.well-known/smart-configuration")
                .then().statusCode(200).extract().jsonPath();

        assertThat(body.getString("implementation.url")).isEqualTo(Links.PUBLIC_URL + "/FHIR/R5/");
        assertThat(body.getString("rest[0].security.extension[0].extension[0].valueUri"))
                .isEqualTo(Links.PUBLIC_URL + "/o/authorize/");
        assertThat(smart.getString("token_endpoint")).isEqualTo(Links.PUBLIC_URL + "/o/token/");
        assertThat(body.prettify() + smart.prettify()).doesNotContain("evil.example");
    }

    @ParameterizedTest
    @ValueSource(strings = { "/fhir/r5", "/FHIR/R5" })
    void smartConfigurationIsPublicWithSnakeCaseKeys(String base) {
        given()
                .when().get(base + "/.well-known/smart-configuration")
                .then().statusCode(200)
                .contentType(startsWith("application/json"))
                .header("Cache-Control", containsString("max-age=3600"))
                .body("authorization_endpoint", startsWith(Links.PUBLIC_URL))
                .body("authorization_endpoint", containsString("/o/authorize/"))
                .body("token_endpoint", containsString("/o/token/"))
                .body("code_challenge_methods_supported", equalTo(List.of("S256")))
                .body("grant_types_supported", hasItems("authorization_code"))
                .body("response_types_supported", equalTo(List.of("code")))
                .body("capabilities", hasItems("launch-standalone", "client-public"));
    }

    @Test
    void anUnknownFhirPathIsA404OperationOutcome() {
        given()
                .when().get("/fhir/r5/Observation/1/nonsense/deeper")
                .then().statusCode(404)
                .contentType(startsWith("application/fhir+json"))
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("not-found"));
    }
}
