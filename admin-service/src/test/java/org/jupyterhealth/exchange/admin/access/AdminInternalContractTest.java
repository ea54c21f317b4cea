package org.jupyterhealth.exchange.admin.access;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.Personas;
import org.jupyterhealth.exchange.common.testing.ContractCheck;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * admin-service's {@code /internal/**} answers against docs/internal-api.yaml, each endpoint's success and its
 * refusals. Every answer any test of this module obtains is checked the same way (common's ContractViolations);
 * this class makes sure each operation and status is reached at least once.
 */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class AdminInternalContractTest {
    private static final String FHIR = Personas.service("fhir-service");
    private static final String INGEST = Personas.service("ingest-service");
    private static final String OMH = "https://w3id.org/openmhealth";

    private static void matches(String method, String path, Response answer) {
        ContractCheck.assertResponse(method, path, answer.statusCode(), answer.asString());
    }

    private static Response get(String pathAndQuery) {
        return given().auth().oauth2(FHIR).when().get(pathAndQuery);
    }

    @Test
    void everyInternalAnswerOfTheseTestsIsChecked() {
        assertThat(ContractCheck.checksInternalAnswers()).isTrue();
    }

    @Test
    void accessDecisionsAnswerAsTheContractSays() {
        for (String path : List.of("/internal/access/observations", "/internal/access/patients")) {
            Response granted = get(path + "?userId=10003");
            assertThat(granted.statusCode()).isEqualTo(200);
            matches("GET", path, granted);
            matches("GET", path, get(path + "?userId=10006&patientId=40002"));
            matches("GET", path, get(path + "?userId=10002&studyId=99999"));
            matches("GET", path, get(path + "?userId=x"));
            matches("GET", path, get(path));
            matches("GET", path, given().when().get(path + "?userId=10003"));
            matches("GET", path, given().auth().oauth2(Personas.mary()).when().get(path + "?userId=10003"));
        }
    }

    @Test
    void uploadDecisionsAnswerAsTheContractSays() {
        Response decided = given().auth().oauth2(INGEST).contentType(ContentType.JSON)
                .body(Map.of("userId", 10006, "entries", List.of(
                        Map.of("patientId", 40001, "system", OMH, "code", "omh:blood-pressure:4.0",
                                "dataSourceId", 70001),
                        Map.of("patientId", 40001, "system", OMH, "code", "omh:unknown:1.0", "dataSourceId", 70001),
                        Map.of("patientId", 40002, "system", OMH, "code", "omh:blood-pressure:4.0",
                                "dataSourceId", 70001))))
                .when().post("/internal/access/uploads");
        assertThat(decided.statusCode()).isEqualTo(200);
        assertThat(decided.jsonPath().getList("entries.status")).containsExactly(201, 400, 403);
        matches("POST", "/internal/access/uploads", decided);
        matches("POST", "/internal/access/uploads", given().auth().oauth2(INGEST).contentType(ContentType.JSON)
                .body(Map.of("entries", List.of())).when().post("/internal/access/uploads"));
    }

    @Test
    void recordsAnswerAsTheContractSays() {
        matches("GET", "/internal/patients", get("/internal/patients?ids=40002,40001,404"));
        matches("GET", "/internal/patients", get("/internal/patients?ids=x"));
        matches("GET", "/internal/patients/search", get("/internal/patients/search?userId=10002&count=2"));
        matches("GET", "/internal/patients/search", get("/internal/patients/search?userId=10002&birthdate=x"));
        matches("GET", "/internal/patients/search", get("/internal/patients/search?userId=10006&patientId=40002"));
        matches("GET", "/internal/patients/search", get("/internal/patients/search?userId=10002&patientId=99999"));
        matches("GET", "/internal/studies", get("/internal/studies?userId=10002"));
        matches("GET", "/internal/studies", get("/internal/studies?userId=10006"));
        matches("GET", "/internal/organizations", get("/internal/organizations?userId=10002"));
        matches("GET", "/internal/data-sources", get("/internal/data-sources?userId=10002"));
        matches("GET", "/internal/practitioners", get("/internal/practitioners?userId=10003"));
        matches("GET", "/internal/practitioners", get("/internal/practitioners?userId=10003&_id=x"));
        matches("GET", "/internal/codes", get("/internal/codes"));
        matches("GET", "/internal/codes", given().auth().oauth2(Personas.mary()).when().get("/internal/codes"));
    }
}
