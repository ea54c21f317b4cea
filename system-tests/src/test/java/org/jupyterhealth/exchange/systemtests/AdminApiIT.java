package org.jupyterhealth.exchange.systemtests;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.http.ContentType;

/**
 * The admin API through the gateway with real tokens from identity-service, on the demo data: what the demo users
 * may and may not see and change. Bodies are JSON text (this module has no JSON mapper). (Account creation and invitations need identity-service's /internal API: see
 * {@link AdminAccountsIT}.)
 */
@Order(2)
@ExtendWith(SystemStack.class)
class AdminApiIT {

    static String token(String email) {
        return EndToEndIT.passwordToken(email);
    }

    @Test
    void managerListsTheLifespanLabPatientsWithAndWithoutTrailingSlash() {
        String mary = token("manager_mary@example.com");
        for (String path : List.of("/api/v1/patients?organization_id=20003", "/api/v1/patients/?organizationId=20003")) {
            given().auth().oauth2(mary).when().get(path)
                    .then().statusCode(200)
                    .body("count", equalTo(2))
                    .body("results.id", contains(40001, 40002))
                    .body("results[0].telecomEmail", equalTo("ll_patient_peter@example.com"))
                    .body("next", equalTo(null));
        }
    }

    @Test
    void paginationLinksAreAbsoluteGatewayUrlsInTheStyleUsed() {
        String admin = token("admin@example.com");
        given().auth().oauth2(admin).when().get("/api/v1/organizations?limit=3")
                .then().statusCode(200)
                .body("next", startsWith(SystemStack.BASE_URL + "/api/v1/organizations?"))
                .body("next", containsString("offset=3"));
        given().auth().oauth2(admin).when().get("/api/v1/organizations?page_size=3")
                .then().statusCode(200)
                .body("next", containsString("page=2"));
    }

    @Test
    void practitionerOfAnotherOrganizationCannotReadLifespanPatients() {
        String mark = token("manager_mark@example.com");
        given().auth().oauth2(mark).when().get("/api/v1/patients/40001").then().statusCode(403);
        given().auth().oauth2(mark).when().get("/api/v1/patients?organization_id=20003")
                .then().statusCode(200).body("count", equalTo(0));
        given().auth().oauth2(mark).when().get("/api/v1/patients/40001/consents").then().statusCode(403);
    }

    @Test
    void patientProfileIsStrippedOfHealthData() {
        given().auth().oauth2(token("ll_patient_peter@example.com")).when().get("/api/v1/users/profile")
                .then().statusCode(200)
                .body("$", not(hasKey("email")))
                .body("userType", equalTo("patient"))
                .body("patient.id", equalTo(40001))
                .body("patient", not(hasKey("nameFamily")));
    }

    @Test
    void patientRecordsAndWithdrawsConsentInItsStudy() {
        String peter = token("ll_patient_peter@example.com");
        String body = "{\"studyScopeConsents\": [{\"studyId\": 30002, \"scopeConsents\": [{\"codingSystem\": "
                + "\"https://w3id.org/openmhealth\", \"codingCode\": \"omh:blood-pressure:4.0\", \"consented\": true}]}]}";
        given().auth().oauth2(peter).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/patients/40001/consents")
                .then().statusCode(201).body("studyScopeConsents[0].consented", equalTo(true));
        given().auth().oauth2(peter).when().get("/api/v1/patients/40001/consents")
                .then().statusCode(200).body("studies.id", hasItem(30002));
        given().auth().oauth2(peter).contentType(ContentType.JSON).body(body)
                .when().delete("/api/v1/patients/40001/consents").then().statusCode(204);
        given().auth().oauth2(token("viewer_victor@example.com")).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/patients/40001/consents").then().statusCode(403);
    }

    @Test
    void viewerCannotChangeStudiesAndMemberCan() {
        given().auth().oauth2(token("viewer_victor@example.com")).contentType(ContentType.JSON)
                .body("{\"scopeCodeId\": 50003}")
                .when().post("/api/v1/studies/30002/scope_requests").then().statusCode(403);
        String megan = token("member_megan@example.com");
        given().auth().oauth2(megan).contentType(ContentType.JSON).body("{\"scopeCodeId\": 50003}")
                .when().post("/api/v1/studies/30002/scope_requests").then().statusCode(201);
        given().auth().oauth2(megan).contentType(ContentType.JSON).body("{\"scopeCodeId\": 50003}")
                .when().post("/api/v1/studies/30002/scope_requests").then().statusCode(409);
        given().auth().oauth2(megan).contentType(ContentType.JSON).body("{\"scopeCodeId\": 50003}")
                .when().delete("/api/v1/studies/30002/scope_requests").then().statusCode(204);
    }

    @Test
    void settingsAndPractitionersAreForTheSuperuserOnly() {
        given().auth().oauth2(token("admin@example.com")).when().get("/api/v1/jhe_settings")
                .then().statusCode(200).body("results.key", hasItem("site.url"));
        given().auth().oauth2(token("manager_mary@example.com")).when().get("/api/v1/practitioners")
                .then().statusCode(403)
                .body("detail", equalTo("You do not have permission to perform this action."));
        given().when().get("/api/v1/practitioners").then().statusCode(401);
    }

    @Test
    void schemaAndItsViewersArePublicUnderBothPaths() {
        given().when().get("/api/schema/").then().statusCode(200).body(containsString("/api/v1/patients"));
        given().when().get("/api/v1/schema/?format=json").then().statusCode(200)
                .body("info.title", equalTo("JupyterHealth Exchange"));
        given().when().get("/api/v1/schema/swagger-ui/").then().statusCode(200).body(containsString("swagger-ui"));
        given().when().get("/api/schema/redoc/").then().statusCode(200).body(containsString("redoc"));
    }

    @Test
    void internalEndpointsAreNotRoutedByTheGateway() {
        given().auth().oauth2(token("admin@example.com")).when().get("/internal/codes").then().statusCode(404);
    }
}
