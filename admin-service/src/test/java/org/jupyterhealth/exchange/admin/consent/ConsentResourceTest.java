package org.jupyterhealth.exchange.admin.consent;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.Fixtures;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.Personas;
import org.jupyterhealth.exchange.common.testing.TestTokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class ConsentResourceTest {

    @Test
    void patientReadsItsConsentsWithPendingAndDecidedStudies() {
        given().auth().oauth2(Personas.peter()).when().get("/api/v1/patients/40001/consents")
                .then().statusCode(200)
                .body("patient.id", equalTo(40001))
                .body("consolidatedConsentedScopes.codingCode", hasItems("omh:blood-pressure:4.0",
                        "omh:heart-rate:2.0", "QuestionnaireResponse"))
                .body("studiesPendingConsent.id", contains(30002))
                .body("studiesPendingConsent[0].pendingScopeConsents.code.codingCode",
                        hasItems("omh:blood-pressure:4.0", "QuestionnaireResponse"))
                .body("studiesPendingConsent[0].pendingScopeConsents[0].consented", nullValue())
                .body("studiesPendingConsent[0].dataSources.name", hasItems("CareX", "Questionnaire"))
                .body("studies.id", contains(30001))
                .body("studies[0].organization.name", equalTo("Lifespan Lab"))
                .body("studies[0].scopeConsents[0].consented", equalTo(true));
    }

    @Test
    void onlyThePatientAndPractitionersSharingAnOrganizationReadConsents() {
        given().auth().oauth2(Personas.victor()).when().get("/api/v1/patients/40001/consents").then().statusCode(200);
        given().auth().oauth2(Personas.mark()).when().get("/api/v1/patients/40001/consents")
                .then().statusCode(403)
                .body("detail", equalTo("This Practitioner not authorized to access this Patient"));
        given().auth().oauth2(Personas.pamela()).when().get("/api/v1/patients/40001/consents")
                .then().statusCode(403)
                .body("detail", equalTo("The Patient does not match the current patient user."));
        given().auth().oauth2(Personas.admin()).when().get("/api/v1/patients/40001/consents").then().statusCode(403);
        given().auth().oauth2(Personas.peter()).when().get("/api/v1/patients/999999/consents").then().statusCode(403);
        given().when().get("/api/v1/patients/40001/consents").then().statusCode(401);
    }

    @Test
    void patientRecordsChangesAndWithdrawsItsOwnConsent() {
        long org = Fixtures.organization();
        long study = Fixtures.study(org, 50004, 50002);
        long patient = Fixtures.patient(org);
        Fixtures.enrol(study, patient);
        Number userId = given().auth().oauth2(Personas.mary()).when().get("/api/v1/patients/" + patient)
                .then().extract().path("jheUserId");
        String token = TestTokens.patient(userId.longValue(), "p@example.org");
        String path = "/api/v1/patients/" + patient + "/consents";

        String time = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Fixtures.consents(study, "omh:heart-rate:2.0", true))
                .when().post(path).then().statusCode(201)
                .header("Location", endsWith(path))
                .body("studyScopeConsents[0].consented", equalTo(true))
                .body("studyScopeConsents[0].scopeCode.codingCode", equalTo("omh:heart-rate:2.0"))
                .extract().path("studyScopeConsents[0].consentedTime");
        assertThat(OffsetDateTime.parse(time).getOffset()).isNotNull();

        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Fixtures.consents(study, "omh:heart-rate:2.0", true))
                .when().post(path).then().statusCode(409);
        given().auth().oauth2(token).when().get(path).then()
                .body("studies[0].scopeConsents.code.codingCode", contains("omh:heart-rate:2.0"))
                .body("studiesPendingConsent[0].pendingScopeConsents.code.codingCode",
                        contains("omh:blood-pressure:4.0"));

        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Fixtures.consents(study, "omh:heart-rate:2.0", false))
                .when().patch(path).then().statusCode(200)
                .body("studyScopeConsents[0].consented", equalTo(false));
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Fixtures.consents(study, "omh:blood-pressure:4.0", true))
                .when().patch(path).then().statusCode(404);
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Fixtures.consents(study, "omh:heart-rate:2.0", false))
                .when().delete(path).then().statusCode(204);
        given().auth().oauth2(token).when().get(path).then().body("studies.size()", equalTo(0));
    }

    @Test
    void consentWritesNamingWhatIsWrongInsteadOfFailing() {
        long org = Fixtures.organization();
        long study = Fixtures.study(org, 50004);
        long patient = Fixtures.patient(org);
        String path = "/api/v1/patients/" + patient + "/consents";

        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Fixtures.consents(study, "omh:heart-rate:2.0", true))
                .when().post(path).then().statusCode(400).body("detail", containsString("is not enrolled"));
        Fixtures.enrol(study, patient);
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Fixtures.consents(study, "omh:no-such-code:1.0", true))
                .when().post(path).then().statusCode(400).body("detail", containsString("does not exist"));
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Fixtures.consents(study, "omh:blood-glucose:4.0", true))
                .when().post(path).then().statusCode(400).body("detail", containsString("does not request"));
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of("nothing", List.of()))
                .when().post(path).then().statusCode(400);
    }

    @Test
    void viewersOtherPatientsAndOutsidersCannotWriteConsentsAndNothingIsRecorded() {
        String path = "/api/v1/patients/40001/consents";
        Map<String, Object> body = Fixtures.consents(30002, "omh:blood-pressure:4.0", true);
        given().auth().oauth2(Personas.victor()).contentType(ContentType.JSON).body(body)
                .when().post(path).then().statusCode(403).body("detail", equalTo("Practitioner role is not valid."));
        given().auth().oauth2(Personas.pamela()).contentType(ContentType.JSON).body(body)
                .when().post(path).then().statusCode(403);
        given().auth().oauth2(Personas.mark()).contentType(ContentType.JSON).body(body)
                .when().post(path).then().statusCode(403);
        given().auth().oauth2(Personas.peter()).when().get(path)
                .then().body("studiesPendingConsent.id", hasItem(30002)).body("studies.id", contains(30001));
    }
}
