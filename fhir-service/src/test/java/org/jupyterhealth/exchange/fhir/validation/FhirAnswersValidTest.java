package org.jupyterhealth.exchange.fhir.validation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.fhir.support.FakeAdmin;
import org.jupyterhealth.exchange.fhir.support.ObservationStore;
import org.jupyterhealth.exchange.fhir.support.Personas;
import org.jupyterhealth.exchange.fhir.support.R5Validator;
import org.jupyterhealth.exchange.fhir.upload.StandInIngest;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Every kind of answer the FHIR API gives — searchsets full and empty (and {@code _summary=count}) of each type,
 * reads, errors, batch and transaction responses under each {@code Prefer: return=}, the single create, the
 * CapabilityStatement — is valid FHIR R5: the instance validator finds no error-level issue in it.
 */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
@QuarkusTestResource(FakeAdmin.class)
@QuarkusTestResource(ObservationStore.class)
@QuarkusTestResource(StandInIngest.class)
class FhirAnswersValidTest {
    static final String EMPTY_ENTRY = "Bundle.entry: Array cannot be empty - the property should not be present if "
            + "it has no values";

    static Stream<Arguments> reads() {
        return Stream.of(
                Arguments.of("CapabilityStatement", null, "/fhir/r5/metadata", 200),
                Arguments.of("Observation searchset", Personas.mary(), "/fhir/r5/Observation?_count=100", 200),
                Arguments.of("Observation searchset, a page with links", Personas.tom(),
                        "/fhir/r5/Observation?_count=2", 200),
                Arguments.of("empty Observation searchset", Personas.mary(), "/fhir/r5/Observation?_id=1", 200),
                Arguments.of("Observation _summary=count", Personas.mary(), "/fhir/r5/Observation?_summary=count",
                        200),
                Arguments.of("Observation read", Personas.mary(), "/fhir/r5/Observation/60001", 200),
                Arguments.of("Patient searchset", Personas.tom(), "/fhir/r5/Patient", 200),
                Arguments.of("empty Patient searchset", Personas.tom(), "/fhir/r5/Patient?family=nobody-has-this",
                        200),
                Arguments.of("Patient _summary=count", Personas.tom(), "/fhir/r5/Patient?_summary=count", 200),
                Arguments.of("Patient read", Personas.tom(), "/fhir/r5/Patient/40001", 200),
                Arguments.of("Group searchset", Personas.tom(), "/fhir/r5/Group", 200),
                Arguments.of("empty Group searchset", Personas.tom(), "/fhir/r5/Group?name=nobody-has-this", 200),
                Arguments.of("Group read", Personas.tom(), "/fhir/r5/Group/30001", 200),
                Arguments.of("Organization searchset", Personas.tom(), "/fhir/r5/Organization", 200),
                Arguments.of("Organization _summary=count", Personas.tom(), "/fhir/r5/Organization?_summary=count",
                        200),
                Arguments.of("Device searchset", Personas.tom(), "/fhir/r5/Device", 200),
                Arguments.of("Practitioner searchset", Personas.tom(), "/fhir/r5/Practitioner", 200),
                Arguments.of("Practitioner read", Personas.tom(), "/fhir/r5/Practitioner/80004", 200),
                Arguments.of("QuestionnaireResponse searchset", Personas.peter(), "/fhir/r5/QuestionnaireResponse",
                        200),
                Arguments.of("Condition _summary=count", Personas.peter(), "/fhir/r5/Condition?_summary=count", 200),
                Arguments.of("stored resource not found", Personas.peter(),
                        "/fhir/r5/QuestionnaireResponse/7d444840-9dc0-11d1-b245-5ffdce74fad2", 404),
                Arguments.of("not found", Personas.mary(), "/fhir/r5/Observation/999999999", 404),
                Arguments.of("unknown type", Personas.mary(), "/fhir/r5/Questionnaire", 404),
                Arguments.of("malformed parameter", Personas.mary(), "/fhir/r5/Observation?date=yesterday", 400),
                Arguments.of("no token", null, "/fhir/r5/Observation", 401));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reads")
    void readAnswersAreValid(String what, String token, String path, int status) {
        RequestSpecification request = token == null ? given() : given().auth().oauth2(token);
        assertValid(request.when().get(path).then().statusCode(status).extract().response());
    }

    static Stream<Arguments> uploads() {
        return Stream.of(
                Arguments.of("batch-response", "upload-bundle-mixed.json", "batch", null, 200),
                Arguments.of("batch-response, return=minimal", "upload-bundle-mixed.json", "batch",
                        "return=minimal", 200),
                Arguments.of("batch-response, return=OperationOutcome", "upload-bundle-mixed.json", "batch",
                        "return=OperationOutcome", 200),
                Arguments.of("transaction-response", "upload-bundle-blood-pressure.json", "transaction", null, 200),
                Arguments.of("refused transaction", "upload-bundle-mixed.json", "transaction", null, 403),
                Arguments.of("asynchronous upload accepted", "upload-bundle-mixed.json", "batch", "respond-async",
                        202));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("uploads")
    void uploadAnswersAreValid(String what, String sample, String bundleType, String prefer, int status) {
        String body = sample(sample).replaceFirst("\"type\"\\s*:\\s*\"batch\"", "\"type\": \"" + bundleType + "\"");
        RequestSpecification request = given().auth().oauth2(Personas.peter()).contentType("application/fhir+json")
                .body(body);
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        assertValid(request.when().post("/fhir/r5").then().statusCode(status).extract().response());
    }

    @Test
    void aCreatedObservationIsValid() throws IOException {
        String observation = new ObjectMapper().readTree(sample("upload-bundle-blood-pressure.json"))
                .path("entry").get(0).path("resource").toString();
        assertValid(given().auth().oauth2(Personas.peter()).contentType("application/fhir+json").body(observation)
                .when().post("/fhir/r5/Observation").then().statusCode(201).extract().response());
    }

    /**
     * A resource of the FHIR resource store as its writes and its read answer it: created, read, patched, and the
     * refusals of a patch (another patient's, a stale version).
     */
    @Test
    void aStoredResourceIsValidAsCreatedReadAndPatched() {
        String questionnaireResponse = "{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"completed\","
                + "\"questionnaire\":\"https://example.org/Questionnaire/phq-9\","
                + "\"authored\":\"2025-03-01T10:00:00Z\"}";
        Response created = given().auth().oauth2(Personas.peter()).contentType("application/fhir+json")
                .header("X-JHE-FHIR-Source-ID", "90001").body(questionnaireResponse)
                .when().post("/fhir/r5/QuestionnaireResponse").then().statusCode(201).extract().response();
        String path = "/fhir/r5/QuestionnaireResponse/" + created.jsonPath().getString("id");

        assertValid(created);
        assertValid(given().auth().oauth2(Personas.peter()).when().get(path).then().statusCode(200).extract()
                .response());
        assertValid(given().auth().oauth2(Personas.peter()).contentType("application/merge-patch+json")
                .header("If-Match", "W/\"1\"").body("{\"status\":\"amended\"}")
                .when().patch(path).then().statusCode(200).extract().response());
        assertValid(given().auth().oauth2(Personas.peter()).contentType("application/merge-patch+json")
                .header("If-Match", "W/\"1\"").body("{\"status\":\"completed\"}")
                .when().patch(path).then().statusCode(412).extract().response());
        assertValid(given().auth().oauth2(Personas.pamela()).contentType("application/merge-patch+json")
                .body("{\"status\":\"completed\"}")
                .when().patch(path).then().statusCode(403).extract().response());
    }

    @Test
    void theValidatorFindsWhatTheAnswersMustNotHold() {
        String stubEntry = "{\"resourceType\":\"Bundle\",\"type\":\"batch-response\",\"entry\":[{\"resource\":"
                + "{\"resourceType\":\"Observation\",\"id\":\"1\"},\"response\":{\"status\":\"201 Created\"}}]}";
        assertThat(R5Validator.errors(stubEntry))
                .anyMatch(error -> error.contains("Observation.status"))
                .anyMatch(error -> error.contains("Observation.code"));
        String emptyMeta = "{\"resourceType\":\"Bundle\",\"meta\":{},\"type\":\"searchset\"}";
        assertThat(R5Validator.errors(emptyMeta)).anyMatch(error -> error.startsWith("Bundle.meta"));
    }

    static String sample(String name) {
        try (InputStream in = FhirAnswersValidTest.class.getResourceAsStream("/samples/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * No error but one: a searchset's {@code entry} is written even when it is empty, as the original exchange's
     * clients read it, where FHIR JSON leaves an empty list out.
     */
    private static void assertValid(Response response) {
        String json = response.asString();
        assertThat(R5Validator.errors(json)).as(json)
                .filteredOn(error -> !error.equals(EMPTY_ENTRY))
                .isEmpty();
    }
}
