package org.jupyterhealth.exchange.fhir.observation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.fhir.support.FakeAdmin;
import org.jupyterhealth.exchange.fhir.support.Links;
import org.jupyterhealth.exchange.fhir.support.ObservationStore;
import org.jupyterhealth.exchange.fhir.support.Personas;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** {@code /api/v1/observations}: the admin dialect over the same consent-enforced access as FHIR. */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
@QuarkusTestResource(FakeAdmin.class)
@QuarkusTestResource(ObservationStore.class)
class AdminObservationResourceTest {

    @ConfigProperty(name = "jhe.fhir.admin-url")
    String adminUrl;

    @AfterEach
    void resetAdmin() {
        Personas.control(adminUrl, "reset");
    }

    static JsonPath list(String token, String query) {
        return given().auth().oauth2(token)
                .when().get("/api/v1/observations" + query)
                .then().statusCode(200)
                .contentType(startsWith("application/json"))
                .extract().jsonPath();
    }

    @Test
    void aPractitionerListsTheConsentedObservationsOfItsPatientsNewestFirst() {
        JsonPath page = list(Personas.mary(), "");

        assertThat(page.getInt("count")).isEqualTo(5);
        assertThat(page.getString("next")).isNull();
        assertThat(page.getString("previous")).isNull();
        assertThat(page.getList("results.id", Integer.class)).containsExactly(60005, 60004, 60003, 60002, 60001);
    }

    @Test
    void anItemCarriesTheOriginalsAndTheGuidesFields() {
        JsonPath item = list(Personas.mary(), "?observation_id=60001").setRootPath("results[0]");

        assertThat(item.getLong("id")).isEqualTo(60001);
        assertThat(item.getLong("subjectPatientId")).isEqualTo(40001);
        assertThat(item.getLong("subjectPatient")).isEqualTo(40001);
        assertThat(item.getString("patientNameFamily")).isEqualTo("Family40001");
        assertThat(item.getString("patientNameGiven")).isEqualTo("Given40001");
        assertThat(item.getString("patientNameDisplay")).isEqualTo("Family40001, Given40001");
        assertThat(item.getLong("jheUserId")).isEqualTo(10006);
        assertThat(item.getLong("codeableConceptId")).isEqualTo(50002);
        assertThat(item.getLong("codeableConcept")).isEqualTo(50002);
        assertThat(item.getString("codingSystem")).isEqualTo("https://w3id.org/openmhealth");
        assertThat(item.getString("codingCode")).isEqualTo("omh:blood-pressure:4.0");
        assertThat(item.getString("codingText")).isEqualTo("Blood pressure");
        assertThat(item.getString("status")).isEqualTo("final");
        assertThat(item.getString("dataSource")).isNull();
        assertThat(item.getString("lastUpdated")).isNotBlank();
        assertThat(item.getString("omhData.header.schema_id.name")).isEqualTo("blood-pressure");
        assertThat(item.getInt("omhData.body.systolic_blood_pressure.value")).isEqualTo(115);
        assertThat(item.getString("valueAttachmentData.body.effective_time_frame.date_time")).isNotBlank();
    }

    @Test
    void filtersInSnakeOrCamelCase() {
        assertThat(list(Personas.mary(), "?patient_id=40001").getList("results.id", Integer.class))
                .containsExactly(60002, 60001);
        assertThat(list(Personas.mary(), "?patientId=40001").getList("results.id", Integer.class))
                .containsExactly(60002, 60001);
        assertThat(list(Personas.mary(), "?organizationId=20003&studyId=30002").getList("results.id", Integer.class))
                .containsExactly(60005, 60003);
        assertThat(list(Personas.tom(), "?organization_id=20008").getList("results.id", Integer.class))
                .containsExactly(60009, 60007);
    }

    @Test
    void theGuidesRequestWorks() {
        JsonPath page = list(Personas.mary(), "?organization_id=20003&study_id=30001&patient_id=40002");

        assertThat(page.getList("results.id", Integer.class)).containsExactly(60005, 60004, 60003);
    }

    @Test
    void pageNumbersWithLinksInTheRequestsStyle() {
        JsonPath first = list(Personas.mary(), "?page=1&pageSize=2");
        assertThat(first.getList("results.id", Integer.class)).containsExactly(60005, 60004);
        assertThat(first.getString("next")).startsWith(Links.PUBLIC_URL + "/api/v1/observations?")
                .contains("page=2").contains("pageSize=2");

        JsonPath second = given().auth().oauth2(Personas.mary()).when().get(Links.local(first.getString("next")))
                .then().statusCode(200).extract().jsonPath();
        assertThat(second.getList("results.id", Integer.class)).containsExactly(60003, 60002);
        assertThat(second.getString("previous")).contains("pageSize=2").doesNotContain("page=2");

        JsonPath third = list(Personas.mary(), "?page=3&page_size=2");
        assertThat(third.getList("results.id", Integer.class)).containsExactly(60001);
        assertThat(third.getString("next")).isNull();
        assertThat(third.getString("previous")).contains("page=2").contains("page_size=2");
    }

    @Test
    void theLastPageByName() {
        JsonPath last = list(Personas.mary(), "?page=last&pageSize=2");

        assertThat(last.getInt("count")).isEqualTo(5);
        assertThat(last.getList("results.id", Integer.class)).containsExactly(60001);
        assertThat(last.getString("next")).isNull();
        assertThat(last.getString("previous")).contains("page=2").contains("pageSize=2");
        assertThat(list(Personas.mary(), "?page=last&pageSize=10").getList("results.id", Integer.class))
                .containsExactly(60005, 60004, 60003, 60002, 60001);
    }

    @Test
    void aForgedHostOrForwardedHostNeverReachesALink() {
        JsonPath page = given().auth().oauth2(Personas.mary()).header("Host", "evil.example")
                .header("X-Forwarded-Host", "evil.example")
                .when().get("/api/v1/observations?limit=2&offset=2")
                .then().statusCode(200).extract().jsonPath();

        assertThat(page.getString("next")).startsWith(Links.PUBLIC_URL + "/api/v1/observations?");
        assertThat(page.getString("previous")).startsWith(Links.PUBLIC_URL + "/api/v1/observations?");
    }

    @Test
    void limitAndOffsetWithLinksInTheRequestsStyle() {
        JsonPath page = list(Personas.mary(), "?limit=2&offset=2");

        assertThat(page.getInt("count")).isEqualTo(5);
        assertThat(page.getList("results.id", Integer.class)).containsExactly(60003, 60002);
        assertThat(page.getString("next")).contains("limit=2").contains("offset=4");
        assertThat(page.getString("previous")).contains("limit=2").doesNotContain("offset=");
        assertThat(list(Personas.mary(), "?limit=2&offset=40").getList("results")).isEmpty();
    }

    @Test
    void aPagePastTheEndIs404InvalidPage() {
        given().auth().oauth2(Personas.mary())
                .when().get("/api/v1/observations?page=999&pageSize=3")
                .then().statusCode(404)
                .contentType(startsWith("application/json"))
                .body("detail", equalTo("Invalid page."));
        given().auth().oauth2(Personas.mary())
                .when().get("/api/v1/observations?page=2147483647&pageSize=1000")
                .then().statusCode(404).body("detail", equalTo("Invalid page."));
        given().auth().oauth2(Personas.mary())
                .when().get("/api/v1/observations?page=0")
                .then().statusCode(404).body("detail", equalTo("Invalid page."));
    }

    @ParameterizedTest
    @ValueSource(strings = { "patient_id=abc", "organizationId=x1", "limit=0", "offset=-5", "pageSize=many" })
    void aMalformedValueIs400WithADetail(String query) {
        given().auth().oauth2(Personas.mary())
                .when().get("/api/v1/observations?" + query)
                .then().statusCode(400)
                .body("detail", notNullValue())
                .body("resourceType", nullValue());
    }

    @Test
    void aPatientTheCallerMayNotSeeIs403WithADetail() {
        given().auth().oauth2(Personas.mary())
                .when().get("/api/v1/observations?patient_id=40003")
                .then().statusCode(403)
                .body("detail", equalTo("Current user is not authorized to access Patient/40003."));
    }

    @Test
    void readingOneObservationIsScopedTheSameWay() {
        given().auth().oauth2(Personas.mark())
                .when().get("/api/v1/observations/60008")
                .then().statusCode(200)
                .body("id", equalTo(60008))
                .body("codingText", equalTo("Blood glucose"));
        given().auth().oauth2(Personas.mary())
                .when().get("/api/v1/observations/60008")
                .then().statusCode(404).body("detail", equalTo("Not found."));
        given().auth().oauth2(Personas.mary())
                .when().get("/api/v1/observations/abc")
                .then().statusCode(404).body("detail", equalTo("Not found."));
    }

    @Test
    void patientsAreNotServedHereAsInTheOriginal() {
        given().auth().oauth2(Personas.peter())
                .when().get("/api/v1/observations")
                .then().statusCode(404).body("detail", equalTo("Not found."));
        given().auth().oauth2(Personas.peter())
                .when().get("/api/v1/observations/60001")
                .then().statusCode(404);
    }

    @Test
    void withoutATokenTheAnswerIsTheGuides401() {
        given()
                .when().get("/api/v1/observations")
                .then().statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"api\"")
                .body("detail", equalTo("Authentication credentials were not provided."));
    }

    @Test
    void whenAdminServiceIsUnavailableTheAnswerIs503WithADetail() {
        Personas.control(adminUrl, "unavailable?on=true");

        given().auth().oauth2(Personas.victor())
                .when().get("/api/v1/observations?patient_id=40002&organization_id=20003")
                .then().statusCode(503)
                .body("detail", startsWith("Access decisions are unavailable"))
                .body("results", nullValue());
    }

    @Test
    void aSuperuserWithoutMembershipsSeesNothing() {
        assertThat(list(Personas.admin(), "").getList("results", Object.class)).isEqualTo(List.of());
    }
}
