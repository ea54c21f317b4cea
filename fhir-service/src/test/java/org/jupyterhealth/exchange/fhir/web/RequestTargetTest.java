package org.jupyterhealth.exchange.fhir.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.fhir.support.FakeAdmin;
import org.jupyterhealth.exchange.fhir.support.ObservationStore;
import org.jupyterhealth.exchange.fhir.support.Personas;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A read names exactly one id: {@code ;} parameters after it (which the server used to drop, so that
 * {@code Patient/40001;x} read Patient 40001), a sign or leading zeros make it another id, which nobody has: 404 in
 * the path's dialect, as for any unknown id.
 */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
@QuarkusTestResource(FakeAdmin.class)
@QuarkusTestResource(ObservationStore.class)
class RequestTargetTest {

    static Stream<Arguments> reads() {
        return Stream.of(
                Arguments.of("Patient", "40001", Personas.mary()),
                Arguments.of("Organization", "20003", Personas.mary()),
                Arguments.of("Device", "70001", Personas.mary()),
                Arguments.of("Group", "30001", Personas.mary()),
                Arguments.of("Observation", "60002", Personas.peter()));
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("reads")
    void aReadOfAnIdWithParametersSignOrLeadingZerosIs404(String type, String id, String token) {
        for (String base : List.of("/fhir/r5/", "/FHIR/R5/")) {
            given().auth().oauth2(token).urlEncodingEnabled(false)
                    .when().get(base + type + "/" + id)
                    .then().statusCode(200)
                    .body("id", equalTo(id));
            for (String other : List.of(id + ";x", id + ";", id + ";x=1", id + ";x/", "+" + id, "0" + id)) {
                given().auth().oauth2(token).urlEncodingEnabled(false)
                        .when().get(base + type + "/" + other)
                        .then().statusCode(404)
                        .contentType(startsWith(FhirMediaTypes.FHIR_JSON))
                        .body("resourceType", equalTo("OperationOutcome"))
                        .body("issue[0].severity", equalTo("error"))
                        .body("issue[0].code", equalTo("not-found"));
            }
        }
    }

    @Test
    void aSearchPathWithParametersIs404() {
        given().auth().oauth2(Personas.mary()).urlEncodingEnabled(false)
                .when().get("/fhir/r5/Patient;x?name=p")
                .then().statusCode(404)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("not-found"));
        // a ';' in the query is a value like any other
        given().auth().oauth2(Personas.mary()).urlEncodingEnabled(false)
                .when().get("/fhir/r5/Patient?name=p;x")
                .then().statusCode(200)
                .body("resourceType", equalTo("Bundle"));
    }

    @Test
    void theAdminObservationItemTakesExactlyItsIdToo() {
        given().auth().oauth2(Personas.mark()).urlEncodingEnabled(false)
                .when().get("/api/v1/observations/60008")
                .then().statusCode(200)
                .body("id", equalTo(60008));
        for (String other : List.of("60008;x", "+60008", "060008")) {
            given().auth().oauth2(Personas.mark()).urlEncodingEnabled(false)
                    .when().get("/api/v1/observations/" + other)
                    .then().statusCode(404)
                    .body("detail", equalTo("Not found."));
        }
        given().auth().oauth2(Personas.mark()).urlEncodingEnabled(false)
                .when().get("/api/v1/observations;x")
                .then().statusCode(404)
                .body("detail", equalTo("Not found."));
    }
}
