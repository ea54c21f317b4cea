package org.jupyterhealth.exchange.common.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Set;

import io.restassured.path.json.JsonPath;

/**
 * A FHIR search as a client makes it, for fhir-service's tests and the system tests alike: the answer must be a 200
 * {@code searchset} Bundle in FHIR JSON whatever it holds, so that a test can go on to what the caller sees in it.
 */
public final class FhirSearch {
    private FhirSearch() {
    }

    /**
     * Searches {@code /fhir/r5/} + {@code pathAndQuery} with the token, and checks that the answer is a searchset.
     *
     * @param pathAndQuery the resource type and query, e.g. {@code Observation?patient=40001}
     */
    public static JsonPath searchset(String token, String pathAndQuery) {
        return given().auth().oauth2(token)
                .when().get("/fhir/r5/" + pathAndQuery)
                .then().statusCode(200)
                .contentType(startsWith("application/fhir+json"))
                .body("resourceType", equalTo("Bundle"))
                .body("type", equalTo("searchset"))
                .extract().jsonPath();
    }

    /** The ids of the resources a searchset holds. */
    public static Set<String> ids(JsonPath bundle) {
        List<String> ids = bundle.getList("entry.resource.id", String.class);
        return ids == null ? Set.of() : Set.copyOf(ids);
    }

    /** The ids of the resources a search finds (only those of the page asked for). */
    public static Set<String> ids(String token, String pathAndQuery) {
        return ids(searchset(token, pathAndQuery));
    }
}
