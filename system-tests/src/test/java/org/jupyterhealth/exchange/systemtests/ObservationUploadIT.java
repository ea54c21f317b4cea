package org.jupyterhealth.exchange.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.jupyterhealth.exchange.systemtests.Uploads.BLOOD_GLUCOSE;
import static org.jupyterhealth.exchange.systemtests.Uploads.BLOOD_PRESSURE;
import static org.jupyterhealth.exchange.systemtests.Uploads.FHIR_JSON;
import static org.jupyterhealth.exchange.systemtests.Uploads.HEART_RATE;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.restassured.response.Response;

/**
 * Observation uploads through the gateway with every real service: the upload decisions of admin-service (demo
 * data: Peter and Pamela consented to blood pressure and heart rate), ingest-service's checks and store, and
 * fhir-service's answers. Tests that need the upload decisions are skipped on a stack without them.
 */
@Order(30)
@ExtendWith(SystemStack.class)
class ObservationUploadIT {
    static String peter;
    static String pamela;

    @BeforeAll
    static void tokens() {
        peter = EndToEndIT.passwordToken("ll_patient_peter@example.com");
        pamela = EndToEndIT.passwordToken("ll_patient_pamela@example.com");
    }

    static String fresh() {
        return UUID.randomUUID().toString();
    }

    @Test
    void theMobileAppsSampleBundlesAreAnsweredEntryByEntry() {
        Response bloodPressure = Uploads.post(peter, "/fhir/r5/",
                Uploads.freshSample("upload-bundle-blood-pressure.json"), Map.of());
        bloodPressure.then().statusCode(200).contentType(startsWith(FHIR_JSON))
                .body("resourceType", equalTo("Bundle"))
                .body("type", equalTo("batch-response"))
                .body("entry", hasSize(1))
                .body("entry[0].response.status", equalTo("201 Created"))
                .body("entry[0].response.location", matchesPattern("Observation/[0-9]+"))
                .body("entry[0].resource.resourceType", equalTo("Observation"));

        Response mixed = Uploads.post(peter, "/FHIR/R5", Uploads.freshSample("upload-bundle-mixed.json"), Map.of());
        mixed.then().statusCode(200)
                .body("entry.response.status", equalTo(List.of("201 Created", "201 Created", "201 Created",
                        "403 Forbidden", "403 Forbidden", "403 Forbidden", "403 Forbidden")))
                .body("entry[3].response.outcome.issue[0].diagnostics", equalTo("Observation data with "
                        + "coding_system=https://w3id.org/openmhealth coding_code=omh:blood-glucose:4.0 has not been "
                        + "consented for any studies by this Patient."));
    }

    @Test
    void aStoredObservationIsReadBackAsSoonAsTheUploadIsAnswered() {
        assumeTrue(given().when().get("/fhir/r5/metadata").statusCode() == 200,
                "the FHIR read endpoints of fhir-service are not deployed");

        String id = Uploads.post(peter, Uploads.batch(Uploads.entry(40001, HEART_RATE, fresh())))
                .then().statusCode(200).extract().path("entry[0].resource.id");

        given().auth().oauth2(peter).when().get("/fhir/r5/Observation/" + id)
                .then().statusCode(200)
                .body("resourceType", equalTo("Observation"))
                .body("id", equalTo(id))
                .body("subject.reference", equalTo("Patient/40001"))
                .body("code.coding[0].code", equalTo(HEART_RATE));
        given().auth().oauth2(peter).when().get("/fhir/r5/Observation?patient=40001&_count=1000")
                .then().statusCode(200)
                .body("entry.resource.id", hasItem(id));
    }

    @Test
    void aPatientDeletesItsOwnObservationWhichNoSearchReturnsAfterwardsAndNobodyElseMay() {
        String mary = EndToEndIT.passwordToken("manager_mary@example.com");
        String identifier = fresh();
        String id = Uploads.post(peter, Uploads.batch(Uploads.entry(40001, HEART_RATE, identifier)))
                .then().statusCode(200).extract().path("entry[0].resource.id");
        String other = Uploads.post(peter, Uploads.batch(Uploads.entry(40001, HEART_RATE, fresh())))
                .then().statusCode(200).extract().path("entry[0].resource.id");

        // the practitioner who may read it, the other patient, and the patient's token with a broken signature may not
        given().auth().oauth2(mary).when().delete("/fhir/r5/Observation/" + id)
                .then().statusCode(403).body("issue[0].code", equalTo("forbidden"));
        given().auth().oauth2(pamela).when().delete("/api/v1/observations/" + id)
                .then().statusCode(404).body("detail", equalTo("Observation/" + id
                        + " is not an observation of yours."));
        String tampered = peter.substring(0, peter.length() - 4) + (peter.endsWith("AAAA") ? "BBBB" : "AAAA");
        given().auth().oauth2(tampered).when().delete("/fhir/r5/Observation/" + id)
                .then().statusCode(401);
        given().auth().oauth2(mary).when().get("/api/v1/observations/" + id).then().statusCode(200);

        given().auth().oauth2(peter).when().delete("/fhir/r5/Observation/" + id).then().statusCode(204);

        // gone at once from reads and searches, for the patient and for the practitioner; the other one stays
        given().auth().oauth2(peter).when().get("/fhir/r5/Observation/" + id).then().statusCode(404);
        given().auth().oauth2(mary).when().get("/api/v1/observations/" + id).then().statusCode(404);
        given().auth().oauth2(peter).when().get("/fhir/r5/Observation?patient=40001&_count=1000")
                .then().statusCode(200)
                .body("entry.resource.id", hasItem(other))
                .body("entry.resource.id", not(hasItem(id)));
        given().auth().oauth2(peter).when().delete("/api/v1/observations/" + id).then().statusCode(404);
        // its identifier is free again: the same reading may be uploaded anew
        Uploads.post(peter, Uploads.batch(Uploads.entry(40001, HEART_RATE, identifier)))
                .then().statusCode(200).body("entry[0].response.status", equalTo("201 Created"));
    }

    @Test
    void aPractitionerSharingTheOrganizationUploadsForAPatientAndAViewerMayNot() {
        String mary = EndToEndIT.passwordToken("manager_mary@example.com");
        String victor = EndToEndIT.passwordToken("viewer_victor@example.com");

        Uploads.post(mary, Uploads.batch(Uploads.entry(40002, BLOOD_PRESSURE, fresh())))
                .then().statusCode(200).body("entry[0].response.status", equalTo("201 Created"));
        Uploads.post(victor, Uploads.batch(Uploads.entry(40002, BLOOD_PRESSURE, fresh())))
                .then().statusCode(200).body("entry[0].response.status", equalTo("403 Forbidden"));
        Uploads.post(pamela, Uploads.batch(Uploads.entry(40001, BLOOD_PRESSURE, fresh())))
                .then().statusCode(200)
                .body("entry[0].response.outcome.issue[0].diagnostics",
                        equalTo("The Subject Patient does not match the current user."));
    }

    @Test
    void anOpenMHealthBodyWithUnitMgdlIsRefusedWith422NamingThePath() {
        String mark = EndToEndIT.passwordToken("manager_mark@example.com");
        String entry = Uploads.entry(40005, BLOOD_GLUCOSE, fresh(), Uploads.body(BLOOD_GLUCOSE, "MGDL"));

        Uploads.post(mark, Uploads.batch(entry))
                .then().statusCode(200)
                .body("entry[0].response.status", equalTo("422 Unprocessable Entity"))
                .body("entry[0].response.outcome.issue[0].diagnostics", startsWith("$.body.blood_glucose.unit: "));
    }

    @Test
    void resendingAnUploadStoresNothingTwiceAndAnswers409() throws Exception {
        List<String> ids = new ArrayList<>();
        String bundle = Uploads.heartRates(40001, 3, ids);

        Uploads.post(peter, bundle).then().statusCode(200)
                .body("entry.response.status", equalTo(List.of("201 Created", "201 Created", "201 Created")));
        Uploads.post(peter, bundle).then().statusCode(200)
                .body("entry.response.status", equalTo(List.of("409 Conflict", "409 Conflict", "409 Conflict")))
                .body("entry[0].response.outcome.issue[0].code", equalTo("duplicate"));

        assertThat(Uploads.storedIdentifiers(ids)).containsExactly(3L, 3L);
    }

    @Test
    void aTransactionWithOneRefusedEntryStoresNothing() throws Exception {
        String stored = fresh();
        String refused = fresh();
        String body = Uploads.bundle("transaction", List.of(Uploads.entry(40001, HEART_RATE, stored),
                Uploads.entry(40001, BLOOD_GLUCOSE, refused)));

        Uploads.post(peter, body).then().statusCode(403).contentType(startsWith(FHIR_JSON))
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[1].expression[0]", equalTo("Bundle.entry[1]"));

        assertThat(Uploads.storedIdentifiers(List.of(stored, refused))[0]).isZero();
    }

    @Test
    void anAsynchronousUploadIsAnswered202AndItsStatusUrlGivesTheOutcomeToItsUploaderOnly() {
        List<String> ids = new ArrayList<>();
        Response accepted = Uploads.post(peter, "/fhir/r5", Uploads.heartRates(40001, 2, ids),
                Map.of("Prefer", "respond-async"));
        accepted.then().statusCode(202);
        String statusUrl = accepted.header("Content-Location");
        assertThat(statusUrl).startsWith(SystemStack.BASE_URL + "/fhir/r5/_upload/");
        String path = statusUrl.substring(SystemStack.BASE_URL.length());

        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().auth().oauth2(peter).when().get(path).statusCode() != 202);
        Response outcome = given().auth().oauth2(peter).when().get(path);
        Uploads.assumeDecisions(outcome);
        outcome.then().statusCode(200)
                .body("type", equalTo("batch-response"))
                .body("entry.response.status", equalTo(List.of("201 Created", "201 Created")));
        // the stored Observations, read back from the store: the request's resources are not at hand any more
        List<String> stored = outcome.path("entry.resource.id");
        assertThat(outcome.<List<String>>path("entry.response.location"))
                .isEqualTo(stored.stream().map(id -> "Observation/" + id).toList());
        assertThat(outcome.<List<String>>path("entry.resource.subject.reference"))
                .containsOnly("Patient/40001");
        given().auth().oauth2(pamela).when().get(path).then().statusCode(404);
        given().when().get(path).then().statusCode(401);
    }

    @Test
    void aSingleObservationIsCreatedWith201AndLocation() {
        String bundleEntry = Uploads.entry(40001, BLOOD_PRESSURE, fresh());
        String resource = bundleEntry.substring("{\"resource\":".length(), bundleEntry.indexOf(",\"request\""));

        Response created = given().auth().oauth2(peter).contentType(FHIR_JSON).body(resource)
                .when().post("/FHIR/R5/Observation");
        Uploads.assumeDecisions(created);
        created.then().statusCode(201)
                .header("Location", matchesPattern(SystemStack.BASE_URL + "/FHIR/R5/Observation/[0-9]+"))
                .body("resourceType", equalTo("Observation"));
    }

    @Test
    void wholeRequestProblemsAre400Or413OperationOutcomesAndAnonymousUploadsAre401() {
        given().auth().oauth2(peter).contentType(FHIR_JSON).body("{not json")
                .when().post("/fhir/r5/")
                .then().statusCode(400).body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("invalid"));
        given().auth().oauth2(peter).contentType(FHIR_JSON)
                .body("{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[]}")
                .when().post("/FHIR/R5/")
                .then().statusCode(400).body("issue[0].code", equalTo("not-supported"));
        given().contentType(FHIR_JSON).body(Uploads.sample("upload-bundle-blood-pressure.json"))
                .when().post("/fhir/r5/")
                .then().statusCode(401).body("resourceType", equalTo("OperationOutcome"));
    }
}
