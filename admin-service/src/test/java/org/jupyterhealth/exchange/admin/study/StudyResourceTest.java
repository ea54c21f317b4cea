package org.jupyterhealth.exchange.admin.study;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.Fixtures;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.Personas;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class StudyResourceTest {

    @Test
    void practitionerListsTheStudiesOfItsOrganizationsWithTheOrganizationAsAnObject() {
        given().auth().oauth2(Personas.tom()).when().get("/api/v1/studies")
                .then().statusCode(200)
                .body("results.id", contains(30005, 30002, 30001, 30004))
                .body("results[0].organization.name", equalTo("Cosmic Cardio Lab"))
                .body("results[0].organizationId", equalTo(20008));
        given().auth().oauth2(Personas.tom()).when().get("/api/v1/studies?organizationId=20007")
                .then().statusCode(200).body("results.id", contains(30004));
        given().auth().oauth2(Personas.tom()).when().get("/api/v1/studies?organization_id=404")
                .then().statusCode(200).body("count", equalTo(0));
    }

    @Test
    void patientsSeeTheStudiesTheyAreEnrolledIn() {
        given().auth().oauth2(Personas.peter()).when().get("/api/v1/studies")
                .then().statusCode(200).body("results.id", contains(30002, 30001));
        given().auth().oauth2(Personas.peter()).when().get("/api/v1/studies/30004").then().statusCode(403);
    }

    @Test
    void studyReadNeedsMembershipOfItsOrganization() {
        given().auth().oauth2(Personas.victor()).when().get("/api/v1/studies/30001")
                .then().statusCode(200).body("description", equalTo("Blood Pressure & Heart Rate"));
        given().auth().oauth2(Personas.mark()).when().get("/api/v1/studies/30001")
                .then().statusCode(403)
                .body("detail", equalTo("Current User does not have authorization to access this Study."));
        given().auth().oauth2(Personas.admin()).when().get("/api/v1/studies/30001").then().statusCode(200);
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/studies/404").then().statusCode(404);
    }

    @Test
    void editorsCreateUpdateAndDeleteStudiesViewersCannot() {
        long org = Fixtures.organization();
        Fixtures.member(org, 10004, "viewer");
        given().auth().oauth2(Personas.victor()).contentType(ContentType.JSON)
                .body(Map.of("organization", org, "name", "Nope", "description", "x"))
                .when().post("/api/v1/studies").then().statusCode(403);
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("organization", org, "name", 5))
                .when().post("/api/v1/studies").then().statusCode(400);

        Response created = given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("organization", org, "name", "Sleep", "description", "some study"))
                .when().post("/api/v1/studies").then().statusCode(201)
                .body("organization.id", equalTo((int) org))
                .body("iconUrl", equalTo(null))
                .extract().response();
        Number id = created.path("id");
        assertThat(created.header("Location")).endsWith("/api/v1/studies/" + id);

        given().auth().oauth2(Personas.victor()).contentType(ContentType.JSON).body(Map.of("description", "hacked"))
                .when().patch("/api/v1/studies/" + id).then().statusCode(403);
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("description", "updated description"))
                .when().patch("/api/v1/studies/" + id).then().statusCode(200)
                .body("description", equalTo("updated description")).body("name", equalTo("Sleep"));
        given().auth().oauth2(Personas.victor()).when().delete("/api/v1/studies/" + id).then().statusCode(403);
        given().auth().oauth2(Personas.mary()).when().delete("/api/v1/studies/" + id).then().statusCode(204);
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/studies/" + id).then().statusCode(404);
    }

    @Test
    void enrolmentChecksRoleMembershipAndDuplicates() {
        long org = Fixtures.organization();
        long patient = Fixtures.patient(org);
        long study = Fixtures.study(org, 50004);
        String path = "/api/v1/studies/" + study + "/patients";

        given().auth().oauth2(Personas.victor()).contentType(ContentType.JSON)
                .body(Map.of("patientIds", List.of(patient)))
                .when().post(path).then().statusCode(403);
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("patientIds", List.of(40003)))
                .when().post(path).then().statusCode(400)
                .body("detail", containsString("is not a member of the study's organization"));
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("patient_ids", List.of(patient)))
                .when().post(path).then().statusCode(201)
                .header("Location", endsWith(path))
                .body("studyPatients[0].patient.id", equalTo((int) patient))
                .body("studyPatients[0].study.id", equalTo((int) study));
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("patientIds", List.of(patient)))
                .when().post(path).then().statusCode(409)
                .body("detail", containsString("already enrolled"));

        given().auth().oauth2(Personas.mary()).when().get(path)
                .then().statusCode(200).body("results.id", contains((int) patient));
        given().auth().oauth2(Personas.mark()).when().get(path)
                .then().statusCode(200).body("count", equalTo(0));

        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("patientIds", List.of(patient)))
                .when().delete(path).then().statusCode(204);
        given().auth().oauth2(Personas.mary()).when().get(path).then().body("count", equalTo(0));
    }

    @Test
    void scopeRequestsAreListedAddedAndRemovedByEditorsOnly() {
        long org = Fixtures.organization();
        long study = Fixtures.study(org, 50004);
        String path = "/api/v1/studies/" + study + "/scope_requests";

        given().auth().oauth2(Personas.mary()).when().get(path)
                .then().statusCode(200)
                .body("scopeCode.codingCode", contains("omh:heart-rate:2.0"))
                .body("[0].study.id", equalTo((int) study));
        given().auth().oauth2(Personas.peter()).contentType(ContentType.JSON).body(Map.of("scope_code_id", 50002))
                .when().post(path).then().statusCode(403);
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of("scope_code_id", 50002))
                .when().post(path).then().statusCode(201).body("scopeCode.id", equalTo(50002))
                .header("Location", endsWith(path));
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of("scope_code_id", 50002))
                .when().post(path).then().statusCode(409);
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of("scope_code_id", 99999))
                .when().post(path).then().statusCode(400).body("detail", containsString("does not exist"));
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of())
                .when().post(path).then().statusCode(400);
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of("scopeCodeId", 50002))
                .when().delete(path).then().statusCode(204);
        given().auth().oauth2(Personas.mary()).when().get(path)
                .then().body("scopeCode.id", not(hasItem(50002)));
    }

    @Test
    void clientsAndDataSourcesAreLinkedAndUnlinked() {
        long org = Fixtures.organization();
        long study = Fixtures.study(org);
        String clients = "/api/v1/studies/" + study + "/clients";
        String sources = "/api/v1/studies/" + study + "/data_sources";

        given().auth().oauth2(Personas.mary()).when().get(clients).then().statusCode(200).body("$", empty());
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of("client_id", 1))
                .when().post(clients).then().statusCode(201).header("Location", endsWith(clients));
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of("client_id", 1))
                .when().post(clients).then().statusCode(409);
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of("client_id", 4242))
                .when().post(clients).then().statusCode(400);
        given().auth().oauth2(Personas.mary()).when().get(clients)
                .then().body("client.id", contains(1)).body("client.clientId", contains("carex"));
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of("clientId", 1))
                .when().delete(clients).then().statusCode(204);
        given().auth().oauth2(Personas.mary()).when().get(clients).then().body("$", empty());

        given().auth().oauth2(Personas.victor()).contentType(ContentType.JSON).body(Map.of("data_source_id", 70001))
                .when().post(sources).then().statusCode(403);
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of("data_source_id", 70001))
                .when().post(sources).then().statusCode(201).header("Location", endsWith(sources));
        given().auth().oauth2(Personas.mary()).when().get(sources)
                .then().body("dataSource.id", contains(70001)).body("[0].dataSource.name", equalTo("CareX"));
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of("dataSourceId", 70001))
                .when().delete(sources).then().statusCode(204);
    }
}
