package org.jupyterhealth.exchange.admin.access;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.Fixtures;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.Personas;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class InternalAccessResourceTest {
    private static final String FHIR = Personas.service("fhir-service");
    private static final String OMH = "https://w3id.org/openmhealth";

    @Test
    void practitionerReadsTheConsentedCodesOfPatientsItSharesAnOrganizationWith() {
        given().auth().oauth2(FHIR).when().get("/internal/access/observations?userId=10003")
                .then().statusCode(200)
                .body("grants", hasSize(1))
                .body("grants[0].patientIds", contains(40001, 40002))
                .body("grants[0].codes.code", containsInAnyOrder("omh:blood-pressure:4.0", "omh:heart-rate:2.0",
                        "QuestionnaireResponse", "Condition"));
    }

    @Test
    void aStudyFilterNarrowsToCodesConsentedInThatStudyAndRequestedByIt() {
        given().auth().oauth2(FHIR).when().get("/internal/access/observations?userId=10003&studyId=30002")
                .then().statusCode(200)
                .body("grants[0].patientIds", contains(40002))
                .body("grants[0].codes.code", containsInAnyOrder("omh:blood-pressure:4.0", "QuestionnaireResponse",
                        "Condition"));
        given().auth().oauth2(FHIR).when().get("/internal/access/observations?user_id=10005&study_id=30005")
                .then().statusCode(200)
                .body("grants[0].patientIds", contains(40004, 40005))
                .body("grants[0].codes", hasSize(1));
    }

    @Test
    void patientsGetOnlyThemselves() {
        given().auth().oauth2(FHIR).when().get("/internal/access/observations?userId=10006")
                .then().statusCode(200).body("grants[0].patientIds", contains(40001));
        given().auth().oauth2(FHIR).when().get("/internal/access/observations?userId=10006&patientId=40002")
                .then().statusCode(403);
        given().auth().oauth2(FHIR).when().get("/internal/access/patients?userId=10006")
                .then().statusCode(200).body("patientIds", contains(40001));
    }

    @Test
    void filtersOutsideTheUsersReachAre403AndUnknownOnes404() {
        given().auth().oauth2(FHIR).when().get("/internal/access/observations?userId=10008&organizationId=20003")
                .then().statusCode(403).body("detail", equalTo(
                        "Current user is not authorized to access Organization/20003."));
        given().auth().oauth2(FHIR).when().get("/internal/access/observations?userId=10008&studyId=30001")
                .then().statusCode(403);
        given().auth().oauth2(FHIR).when().get("/internal/access/patients?userId=10008&patientId=40001")
                .then().statusCode(403);
        given().auth().oauth2(FHIR).when().get("/internal/access/patients?userId=10008&studyId=99999")
                .then().statusCode(404);
        given().auth().oauth2(FHIR).when().get("/internal/access/patients")
                .then().statusCode(400);
    }

    @Test
    void aSuperuserWithoutMembershipsReadsNoHealthData() {
        given().auth().oauth2(FHIR).when().get("/internal/access/observations?userId=10001")
                .then().statusCode(200).body("grants", empty());
        given().auth().oauth2(FHIR).when().get("/internal/access/patients?userId=10001")
                .then().statusCode(200).body("patientIds", empty());
    }

    @Test
    void revokingAConsentRemovesTheCodeFromTheNextAnswer() {
        long org = Fixtures.organization();
        long study = Fixtures.study(org, 50004);
        long patient = Fixtures.patient(org);
        Fixtures.enrol(study, patient);
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Fixtures.consents(study, "omh:heart-rate:2.0", true))
                .when().post("/api/v1/patients/" + patient + "/consents").then().statusCode(201);
        given().auth().oauth2(FHIR).when().get("/internal/access/observations?userId=10002&patientId=" + patient)
                .then().statusCode(200).body("grants[0].codes.code", contains("omh:heart-rate:2.0"));

        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Fixtures.consents(study, "omh:heart-rate:2.0", false))
                .when().patch("/api/v1/patients/" + patient + "/consents").then().statusCode(200);
        given().auth().oauth2(FHIR).when().get("/internal/access/observations?userId=10002&patientId=" + patient)
                .then().statusCode(200).body("grants", empty());
        given().auth().oauth2(FHIR).when().get("/internal/access/patients?userId=10002&patientId=" + patient)
                .then().statusCode(200).body("patientIds", contains((int) patient));
    }

    @Test
    void uploadDecisionsFollowTheOriginalsChecksEntryByEntry() {
        List<Map<String, Object>> entries = List.of(
                Map.of("patientId", 40001, "system", OMH, "code", "omh:blood-pressure:4.0", "dataSourceId", 70001),
                Map.of("patientId", 40001, "system", OMH, "code", "omh:blood-glucose:4.0", "dataSourceId", 70001),
                Map.of("patientId", 40002, "system", OMH, "code", "omh:blood-pressure:4.0", "dataSourceId", 70001),
                Map.of("patientId", 40001, "system", OMH, "code", "omh:blood-pressure:4.0", "dataSourceId", 70005),
                Map.of("patientId", 40001, "system", OMH, "code", "omh:unknown:1.0", "dataSourceId", 70001),
                Map.of("patientId", 49999, "system", OMH, "code", "omh:blood-pressure:4.0", "dataSourceId", 70001));
        given().auth().oauth2(Personas.service("ingest-service")).contentType(ContentType.JSON)
                .body(Map.of("userId", 10006, "entries", entries))
                .when().post("/internal/access/uploads")
                .then().statusCode(200)
                .body("entries.status", contains(201, 403, 403, 400, 400, 400))
                .body("entries[0].codeId", equalTo(50002))
                .body("entries[0].detail", nullValue())
                .body("entries[1].detail", equalTo("Observation data with coding_system=" + OMH
                        + " coding_code=omh:blood-glucose:4.0 has not been consented for any studies by this Patient."))
                .body("entries[2].detail", equalTo("The Subject Patient does not match the current user."));
    }

    @Test
    void anUploadersOddEntryIsRefusedOnItsOwnAndNotRepeatedAtLength() {
        List<Map<String, Object>> entries = List.of(
                Map.of("patientId", 40001, "system", OMH, "code", "omh:blood-pressure:4.0", "dataSourceId", 70001),
                Map.of("patientId", 40001, "system", OMH, "code", "omh:blood-\u0000pressure:4.0", "dataSourceId",
                        70001),
                Map.of("patientId", 40001, "system", OMH, "code", "x".repeat(500_000), "dataSourceId", 70001),
                Map.of("patientId", "40001x", "system", OMH, "code", "omh:blood-pressure:4.0", "dataSourceId", 70001),
                Map.of("patientId", 40001, "system", 42, "code", "omh:blood-pressure:4.0", "dataSourceId", 1.5));
        given().auth().oauth2(Personas.service("ingest-service")).contentType(ContentType.JSON)
                .body(Map.of("userId", 10006, "entries", entries))
                .when().post("/internal/access/uploads")
                .then().statusCode(200)
                .body("entries.status", contains(201, 400, 400, 400, 400))
                .body("entries[2].detail.length()", lessThan(300));
    }

    @Test
    void onlyManagersAndMembersSharingAnOrganizationUploadForAPatient() {
        Map<String, Object> entry = Map.of("patientId", 40001, "system", OMH, "code", "omh:heart-rate:2.0",
                "dataSourceId", 70001);
        for (Object[] c : new Object[][] { { 10003, 201 }, { 10004, 403 }, { 10008, 403 }, { 10001, 403 } }) {
            given().auth().oauth2(FHIR).contentType(ContentType.JSON)
                    .body(Map.of("userId", c[0], "entries", List.of(entry)))
                    .when().post("/internal/access/uploads")
                    .then().statusCode(200).body("entries[0].status", equalTo(c[1]));
        }
    }

    @Test
    void userTokensAndAnonymousCallersAreRefused() {
        given().auth().oauth2(Personas.admin()).when().get("/internal/access/patients?userId=10002")
                .then().statusCode(403);
        given().auth().oauth2(Personas.mary()).when().get("/internal/codes").then().statusCode(403);
        given().when().get("/internal/access/observations?userId=10002").then().statusCode(401);
        given().auth().oauth2(Personas.mary()).when().get("/internal/practitioners?userId=10002")
                .then().statusCode(403);
        given().when().get("/internal/practitioners?userId=10002").then().statusCode(401);
    }

    @Test
    void recordsForRenderingComeInBulk() {
        given().auth().oauth2(FHIR).when().get("/internal/patients?ids=40002,40001,404")
                .then().statusCode(200)
                .body("id", contains(40002, 40001))
                .body("[1].telecomEmail", equalTo("ll_patient_peter@example.com"))
                .body("[1].identifiers.value", hasItem("E1234"))
                .body("[1].organizationIds", contains(20003));
        given().auth().oauth2(FHIR).when().get("/internal/codes")
                .then().statusCode(200).body("find { it.id == 50002 }.code", equalTo("omh:blood-pressure:4.0"));
    }

    @Test
    void patientSearchAppliesVisibilityFiltersAndPaging() {
        given().auth().oauth2(FHIR).when().get("/internal/patients/search?userId=10005&count=1")
                .then().statusCode(200)
                .body("total", equalTo(5))
                .body("results", hasSize(1));
        given().auth().oauth2(FHIR).when().get("/internal/patients/search?userId=10002&identifier=urn:oid:1.2.3.4|E1234")
                .then().statusCode(200).body("results.id", contains(40001));
        given().auth().oauth2(FHIR).when().get("/internal/patients/search?userId=10002&identifier=|MRN-NONE")
                .then().statusCode(200).body("total", equalTo(0));
        given().auth().oauth2(FHIR).when().get("/internal/patients/search?userId=10005&studyId=30005&family=pow")
                .then().statusCode(200).body("results.id", contains(40005));
        given().auth().oauth2(FHIR).when().get("/internal/patients/search?userId=10008&organizationId=20003")
                .then().statusCode(403);
    }

    @Test
    void studiesOrganizationsAndDataSourcesFollowMembership() {
        given().auth().oauth2(FHIR).when().get("/internal/studies?userId=10006")
                .then().statusCode(200).body("results.id", contains(30002, 30001));
        given().auth().oauth2(FHIR).when().get("/internal/organizations?userId=10005")
                .then().statusCode(200).body("total", equalTo(3));
        given().auth().oauth2(FHIR).when().get("/internal/data-sources?userId=10003")
                .then().statusCode(200).body("results.id", contains(70001, 70005))
                .body("results.id", not(hasItem(70002)));
    }

    @Test
    void practitionersAreThoseSharingAnOrganizationWithTheCaller() {
        // Megan (member of Lifespan Lab 20003) sees its four practitioners, herself included, by family name
        given().auth().oauth2(FHIR).when().get("/internal/practitioners?userId=10003")
                .then().statusCode(200).body("total", equalTo(4))
                .body("results.id", contains(80001, 80002, 80004, 80003))
                .body("results[1].nameFamily", equalTo("Moore")).body("results[1].nameGiven", equalTo("Megan"))
                .body("results[1].identifier", equalTo("fhir-333"));
        // Mark shares only 20007 with Tom; a patient sees the practitioners of its organizations
        given().auth().oauth2(FHIR).when().get("/internal/practitioners?userId=10008")
                .then().statusCode(200).body("results.id", contains(80005, 80004));
        given().auth().oauth2(FHIR).when().get("/internal/practitioners?userId=10011")
                .then().statusCode(200).body("results.id", contains(80005, 80004));
        given().auth().oauth2(FHIR).when().get("/internal/practitioners?userId=10009&_id=80001")
                .then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void practitionersAreFilteredByNamePrefixAndIdentifierValue() {
        given().auth().oauth2(FHIR).when().get("/internal/practitioners?userId=10003&name=MO")
                .then().statusCode(200).body("results.id", contains(80002));
        given().auth().oauth2(FHIR).when().get("/internal/practitioners?userId=10003&name=vic")
                .then().statusCode(200).body("results.id", contains(80003));
        // a pattern character is a character, not a wildcard
        given().auth().oauth2(FHIR).when().get("/internal/practitioners?userId=10003&name=%25")
                .then().statusCode(200).body("total", equalTo(0));
        given().auth().oauth2(FHIR).when().get("/internal/practitioners?userId=10003&identifier=urn:any|fhir-444")
                .then().statusCode(200).body("results.id", contains(80003));
        given().auth().oauth2(FHIR).when().get("/internal/practitioners?userId=10008&identifier=fhir-444")
                .then().statusCode(200).body("total", equalTo(0));
    }
}
