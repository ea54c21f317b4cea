package org.jupyterhealth.exchange.admin.fhirsource;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.Fixtures;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.Personas;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** A patient's FHIR sources: its own only, idempotent registration, refusals, and the store's internal lookup. */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class FhirSourceResourceTest {
    private static final String PATH = "/api/v1/fhir_sources";

    private static ValidatableResponse post(String token, Map<String, Object> body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).when().post(PATH).then();
    }

    private static Map<String, Object> source(String label, String url) {
        Map<String, Object> body = new HashMap<>();
        body.put("dataSource", 70005);
        body.put("label", label);
        body.put("fhirBaseUrl", url);
        return body;
    }

    @Test
    void aPatientListsItsOwnSourcesOnly() {
        given().auth().oauth2(Personas.peter()).when().get(PATH).then().statusCode(200)
                .body("results.id", hasItem(90001)).body("results.id", not(hasItem(90002)))
                .body("results.patient", everyItem(equalTo(40001)))
                .body("results.find { it.id == 90001 }.dataSource", equalTo(70005))
                .body("results.find { it.id == 90001 }.label", equalTo("Records from Halo Health System"))
                .body("results.find { it.id == 90001 }.fhirBaseUrl", equalTo("https://fhir.halo.org/api/FHIR/R4"))
                .body("results.find { it.id == 90001 }.lastUpdated", notNullValue());
        given().auth().oauth2(Personas.peter()).when().get(PATH + "/90001").then().statusCode(200)
                .body("patient", equalTo(40001));
    }

    @Test
    void nobodyElseSeesOrChangesAPatientsSource() {
        for (String token : new String[] { Personas.pamela(), Personas.mary(), Personas.admin() }) {
            given().auth().oauth2(token).when().get(PATH + "/90001").then().statusCode(404);
            given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("label", "mine"))
                    .when().patch(PATH + "/90001").then().statusCode(404);
            given().auth().oauth2(token).when().delete(PATH + "/90001").then().statusCode(404);
        }
        given().auth().oauth2(Personas.mary()).when().get(PATH).then().statusCode(200).body("count", equalTo(0));
        given().auth().oauth2(Personas.admin()).when().get(PATH).then().statusCode(200).body("count", equalTo(0));
        post(Personas.mary(), source("x", "")).statusCode(403)
                .body("detail", equalTo(FhirSourceService.ONLY_PATIENTS));
        given().when().get(PATH).then().statusCode(401);
        String expired = org.jupyterhealth.exchange.common.testing.TestTokens.expired();
        given().auth().oauth2(expired).when().get(PATH + "/90001").then().statusCode(401)
                .body("detail", equalTo("Authentication credentials were not provided."));
        given().auth().oauth2(expired).contentType(ContentType.JSON).body(source("x", "")).when().post(PATH)
                .then().statusCode(401);
        given().auth().oauth2(Personas.peter()).when().get(PATH + "/90001").then().statusCode(200)
                .body("label", equalTo("Records from Halo Health System"));
    }

    @Test
    void registeringTheSameServerAgainAnswersTheSourceRelabelled() {
        String url = "https://" + Fixtures.unique("ehr").toLowerCase() + ".example.org/api/FHIR/R4";
        Number id = post(Personas.pamela(), source("Clinic chart", url)).statusCode(201)
                .header("Location", matchesPattern(".*/api/v1/fhir_sources/[0-9]+$"))
                .body("patient", equalTo(40002)).body("dataSource", equalTo(70005))
                .body("fhirBaseUrl", equalTo(url)).extract().path("id");
        post(Personas.pamela(), source("Clinic chart, renamed", url)).statusCode(201)
                .body("id", equalTo(id)).body("label", equalTo("Clinic chart, renamed"));
        // without a server, each registration is its own source
        Number first = post(Personas.pamela(), source("app", "")).statusCode(201).extract().path("id");
        post(Personas.pamela(), source("app", "")).statusCode(201).body("id", not(equalTo(first)));
        // another patient registering the same server gets its own
        post(Personas.peter(), source("Clinic chart", url)).statusCode(201).body("id", not(equalTo(id)))
                .body("patient", equalTo(40001));
    }

    @Test
    void aPatientChangesAndDeletesItsSource() {
        Number id = post(Personas.peter(), source("old", "")).statusCode(201).extract().path("id");
        given().auth().oauth2(Personas.peter()).contentType(ContentType.JSON).body(Map.of("label", "new"))
                .when().patch(PATH + "/" + id).then().statusCode(200).body("label", equalTo("new"))
                .body("dataSource", equalTo(70005));
        given().auth().oauth2(Personas.peter()).contentType(ContentType.JSON)
                .body(Map.of("dataSource", 70001, "fhirBaseUrl", "https://fhir.example.org/r5"))
                .when().put(PATH + "/" + id).then().statusCode(200).body("label", equalTo(""))
                .body("dataSource", equalTo(70001)).body("fhirBaseUrl", equalTo("https://fhir.example.org/r5"));
        given().auth().oauth2(Personas.peter()).contentType(ContentType.JSON).body(Map.of("label", "x"))
                .when().put(PATH + "/" + id).then().statusCode(400).body("errors.dataSource[0]", notNullValue());
        given().auth().oauth2(Personas.peter()).when().delete(PATH + "/" + id).then().statusCode(204);
        given().auth().oauth2(Personas.peter()).when().get(PATH + "/" + id).then().statusCode(404);
    }

    @Test
    void badFieldsAreRefusedByName() {
        Map<String, Object> noDataSource = source("x", "");
        noDataSource.remove("dataSource");
        post(Personas.peter(), noDataSource).statusCode(400).body("errors.dataSource[0]",
                equalTo("This field is required."));
        Map<String, Object> unknown = source("x", "");
        unknown.put("dataSource", 79999);
        post(Personas.peter(), unknown).statusCode(400)
                .body("errors.dataSource[0]", equalTo("Data source 79999 does not exist."));
        post(Personas.peter(), source("x", "javascript:alert(1)")).statusCode(400)
                .body("errors.fhirBaseUrl[0]", notNullValue());
        post(Personas.peter(), source("x", "https://10.0.0.7/fhir")).statusCode(400)
                .body("errors.fhirBaseUrl[0]", notNullValue());
        post(Personas.peter(), source("line\u0000break", "")).statusCode(400)
                .body("errors.label[0]", equalTo("Control characters are not allowed."));
        post(Personas.peter(), source("x".repeat(256), "")).statusCode(400).body("errors.label[0]", notNullValue());
        given().auth().oauth2(Personas.peter()).when().get(PATH + "/abc").then().statusCode(404);
    }

    @Test
    void theStoreLooksUpASourceWithAServiceTokenOnly() {
        given().auth().oauth2(Personas.service("fhir-service")).when().get("/internal/fhir_sources/90002")
                .then().statusCode(200).body("id", equalTo(90002)).body("patientId", equalTo(40002))
                .body("dataSourceId", equalTo(70005)).body("fhirBaseUrl", equalTo("https://fhir.comet.org/api/FHIR/R4"))
                .body("label", equalTo("Chart from Comet Clinic"));
        given().auth().oauth2(Personas.service("ingest-service")).when().get("/internal/fhir_sources/99999999")
                .then().statusCode(404).body("detail", equalTo("No FhirSource matches the given query."));
        given().auth().oauth2(Personas.pamela()).when().get("/internal/fhir_sources/90002").then().statusCode(403);
        given().when().get("/internal/fhir_sources/90002").then().statusCode(401);
    }
}
