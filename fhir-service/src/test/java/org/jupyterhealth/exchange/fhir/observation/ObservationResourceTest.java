package org.jupyterhealth.exchange.fhir.observation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.jupyterhealth.exchange.common.testing.FhirSearch.ids;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.jupyterhealth.exchange.common.testing.FhirSearch;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.fhir.support.FakeAdmin;
import org.jupyterhealth.exchange.fhir.support.Links;
import org.jupyterhealth.exchange.fhir.support.ObservationStore;
import org.jupyterhealth.exchange.fhir.support.Personas;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Observation search and read over the demo data (the original's 9 seeded observations), with access and
 * consent decided by a stand-in admin-service that follows the exchange's rules.
 */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
@QuarkusTestResource(FakeAdmin.class)
@QuarkusTestResource(ObservationStore.class)
class ObservationResourceTest {
    static final String OMH = "https://w3id.org/openmhealth";

    @ConfigProperty(name = "jhe.fhir.admin-url")
    String adminUrl;

    @AfterEach
    void resetAdmin() {
        Personas.control(adminUrl, "reset");
    }

    static JsonPath search(String token, String query) {
        return FhirSearch.searchset(token, "Observation" + query);
    }

    static Stream<Arguments> personas() {
        return Stream.of(
                Arguments.of("manager Mary", Personas.mary(), Set.of("60001", "60002", "60003", "60004", "60005")),
                Arguments.of("member Megan", Personas.megan(), Set.of("60001", "60002", "60003", "60004", "60005")),
                Arguments.of("viewer Victor", Personas.victor(), Set.of("60001", "60002", "60003", "60004", "60005")),
                Arguments.of("three-org Tom", Personas.tom(),
                        Set.of("60001", "60002", "60003", "60004", "60005", "60006", "60007", "60009")),
                Arguments.of("manager Mark", Personas.mark(), Set.of("60006", "60008")),
                Arguments.of("patient Peter", Personas.peter(), Set.of("60001", "60002")),
                Arguments.of("patient Pat", Personas.pat(), Set.of("60008", "60009")),
                Arguments.of("superuser without memberships", Personas.admin(), Set.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("personas")
    void eachPersonaSeesExactlyTheConsentedObservationsOfPatientsItShares(String who, String token,
            Set<String> expected) {
        JsonPath bundle = search(token, "?_count=100");

        assertThat(ids(bundle)).isEqualTo(expected);
        assertThat(bundle.getInt("total")).isEqualTo(expected.size());
    }

    @Test
    void anObservationIsRenderedAsAnR5ObservationWithItsOpenMHealthData() {
        JsonPath bundle = search(Personas.mary(), "?_id=60001");

        assertThat(bundle.getString("entry[0].fullUrl")).isEqualTo(Links.PUBLIC_URL + "/fhir/r5/Observation/60001");
        assertThat(bundle.getString("entry[0].search.mode")).isEqualTo("match");
        JsonPath observation = new JsonPath(bundle.prettify()).setRootPath("entry[0].resource");
        assertThat(observation.getString("resourceType")).isEqualTo("Observation");
        assertThat(observation.getString("status")).isEqualTo("final");
        assertThat(observation.getString("meta.source")).isEqualTo("https://jupyterhealth.org/jhe");
        assertThat(observation.getString("meta.lastUpdated")).isNotBlank();
        assertThat(observation.getString("code.coding[0].system")).isEqualTo(OMH);
        assertThat(observation.getString("code.coding[0].code")).isEqualTo("omh:blood-pressure:4.0");
        assertThat(observation.getString("code.coding[0].display")).isEqualTo("Blood pressure");
        assertThat(observation.getString("subject.reference")).isEqualTo("Patient/40001");
        assertThat(observation.getString("subject.identifier.system"))
                .isEqualTo("https://jupyterhealth.org/fhir/identifier/jhe-user-id");
        assertThat(observation.getString("subject.identifier.value")).isEqualTo("10006");
        assertThat(observation.getString("effectiveDateTime")).isNotBlank();
        assertThat(observation.getString("device")).as("the demo data have no data source").isNull();
        assertThat(observation.getString("valueAttachment.contentType")).isEqualTo("application/json");
        JsonPath omh = new JsonPath(new String(Base64.getDecoder().decode(observation.getString("valueAttachment.data")),
                StandardCharsets.UTF_8));
        assertThat(omh.getString("header.schema_id.name")).isEqualTo("blood-pressure");
        assertThat(omh.getInt("body.systolic_blood_pressure.value")).isEqualTo(115);
        assertThat(omh.getString("body.effective_time_frame.date_time")).isNotBlank();
    }

    @Test
    void theBundleLinksToItselfInTheClientsOwnStyleUnderEitherBase() {
        JsonPath lower = search(Personas.mary(), "");
        JsonPath upper = given().auth().oauth2(Personas.mary())
                .when().get("/FHIR/R5/Observation?patient=40001")
                .then().statusCode(200).extract().jsonPath();

        assertThat(lower.getString("link.find { it.relation == 'self' }.url")).endsWith("/fhir/r5/Observation");
        assertThat(upper.getString("link.find { it.relation == 'self' }.url")).endsWith("/FHIR/R5/Observation?patient=40001");
        assertThat(upper.getString("entry[0].fullUrl")).contains("/FHIR/R5/Observation/");
        assertThat(ids(upper)).isEqualTo(Set.of("60001", "60002"));
    }

    @Test
    void aPersonaReadsAnObservationItMaySee() {
        given().auth().oauth2(Personas.peter())
                .when().get("/fhir/r5/Observation/60002")
                .then().statusCode(200)
                .contentType(startsWith("application/fhir+json"))
                .body("resourceType", equalTo("Observation"))
                .body("id", equalTo("60002"))
                .body("code.coding[0].code", equalTo("omh:heart-rate:2.0"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "60003", "60008", "999999", "not-a-number" })
    void anObservationOutsideTheCallersReachReadsAs404(String id) {
        given().auth().oauth2(Personas.peter())
                .when().get("/fhir/r5/Observation/" + id)
                .then().statusCode(404)
                .contentType(startsWith("application/fhir+json"))
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("not-found"));
    }

    @Test
    void aPractitionerCannotReadAnObservationWhoseCodeThePatientDidNotShareWithItsOrganizations() {
        // Pat's blood glucose is consented in a study of the Cardiology Division, which Tom is not a member of
        given().auth().oauth2(Personas.tom())
                .when().get("/fhir/r5/Observation/60008")
                .then().statusCode(404);
        given().auth().oauth2(Personas.mark())
                .when().get("/fhir/r5/Observation/60008")
                .then().statusCode(200).body("subject.reference", equalTo("Patient/40005"));
    }

    @Test
    void patientAndSubjectNarrowToOnePatient() {
        assertThat(ids(search(Personas.mary(), "?patient=40001"))).isEqualTo(Set.of("60001", "60002"));
        assertThat(ids(search(Personas.mary(), "?patient=Patient/40001"))).isEqualTo(Set.of("60001", "60002"));
        assertThat(ids(search(Personas.mary(), "?subject=Patient/40002"))).isEqualTo(Set.of("60003", "60004", "60005"));
        assertThat(ids(search(Personas.mary(), "?patient=40001,40002")))
                .isEqualTo(Set.of("60001", "60002", "60003", "60004", "60005"));
    }

    @Test
    void aPatientTheCallerMayNotSeeIs403() {
        given().auth().oauth2(Personas.mary())
                .when().get("/fhir/r5/Observation?patient=40003")
                .then().statusCode(403)
                .contentType(startsWith("application/fhir+json"))
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("forbidden"))
                .body("issue[0].diagnostics", equalTo("Current user is not authorized to access Patient/40003."));
    }

    @Test
    void aPatientCannotReadAnotherPatientsObservations() {
        assertThat(ids(search(Personas.peter(), "?patient=40002"))).isEmpty();
    }

    @Test
    void aStudyFilterShowsOnlyCodesThePatientConsentedToInThatStudy() {
        // study 30002 asks for blood pressure: Pamela consented to it there; Peter is enrolled but consented nothing
        assertThat(ids(search(Personas.mary(), "?patient._has:Group:member:_id=30002")))
                .isEqualTo(Set.of("60003", "60005"));
        assertThat(ids(search(Personas.mary(), "?_has:Group:member:_id=30001")))
                .isEqualTo(Set.of("60001", "60002", "60003", "60004", "60005"));
        assertThat(ids(search(Personas.mary(), "?_has:_group:member:_id=30002"))).isEqualTo(Set.of("60003", "60005"));
    }

    @Test
    void aStudyOfAnotherOrganizationIs403AndAnUnknownOneIs404() {
        given().auth().oauth2(Personas.mark())
                .when().get("/fhir/r5/Observation?patient._has:Group:member:_id=30001")
                .then().statusCode(403).body("issue[0].code", equalTo("forbidden"));
        given().auth().oauth2(Personas.mark())
                .when().get("/fhir/r5/Observation?patient._has:Group:member:_id=39999")
                .then().statusCode(404).body("issue[0].code", equalTo("not-found"));
    }

    @Test
    void anOrganizationFilterShowsItsPatientsCodesSharedWithTheCaller() {
        assertThat(ids(search(Personas.tom(), "?patient.organization=20008"))).isEqualTo(Set.of("60007", "60009"));
        given().auth().oauth2(Personas.mary())
                .when().get("/fhir/r5/Observation?patient.organization=20007")
                .then().statusCode(403).body("issue[0].code", equalTo("forbidden"));
    }

    @Test
    void theGuidesObservationSearchWorksVerbatim() {
        JsonPath bundle = search(Personas.mary(), "?patient._has:Group:member:_id=30001&patient=40001"
                + "&code=https://w3id.org/openmhealth|omh:blood-pressure:4.0");

        assertThat(ids(bundle)).isEqualTo(Set.of("60001"));
        assertThat(bundle.getInt("total")).isEqualTo(1);
    }

    @Test
    void codeMatchesSystemAndCodeOrAnySystemForABareCode() {
        assertThat(ids(search(Personas.mary(), "?code=" + OMH + "|omh:heart-rate:2.0")))
                .isEqualTo(Set.of("60002", "60004"));
        assertThat(ids(search(Personas.mary(), "?code=omh:heart-rate:2.0"))).isEqualTo(Set.of("60002", "60004"));
        assertThat(ids(search(Personas.mary(), "?code=|omh:heart-rate:2.0"))).isEmpty();
        assertThat(ids(search(Personas.mary(), "?code=https://elsewhere.example|omh:heart-rate:2.0"))).isEmpty();
        assertThat(ids(search(Personas.mary(), "?code=omh:heart-rate:2.0,omh:blood-pressure:4.0")))
                .hasSize(5);
        assertThat(ids(search(Personas.mary(), "?code=omh:heart-rate:2.0&code=omh:blood-pressure:4.0"))).isEmpty();
    }

    /** The original's clients index bundle["entry"] and bundle["meta"] of every searchset, even with no match. */
    @ParameterizedTest
    @ValueSource(strings = { "Observation?_id=1", "Observation?_summary=count", "Patient?family=nobody",
            "Patient?_summary=count", "Group?name=nobody", "Organization?_summary=count", "Device?type=nobody" })
    void aSearchsetWithoutEntriesStillCarriesAnEntryListAndMeta(String search) {
        given().auth().oauth2(Personas.tom())
                .when().get("/fhir/r5/" + search)
                .then().statusCode(200)
                .body("type", equalTo("searchset"))
                .body("entry", empty())
                .body("meta.lastUpdated", notNullValue());
    }

    @Test
    void summaryCountAnswersTheTotalOnly() {
        JsonPath bundle = search(Personas.mary(), "?_summary=count");

        assertThat(bundle.getInt("total")).isEqualTo(5);
        assertThat(bundle.getList("entry")).isNullOrEmpty();
        assertThat(bundle.getList("link.relation", String.class)).containsExactly("self");
    }

    @Test
    void datesCompareWithPrefixesAndPrecision() {
        String yesterday = LocalDate.now().minusDays(1).toString();
        assertThat(ids(search(Personas.mary(), "?date=ge" + yesterday))).hasSize(5);
        assertThat(ids(search(Personas.mary(), "?date=lt2000-01-01"))).isEmpty();
        assertThat(ids(search(Personas.mary(), "?date=gt2000&date=le2999-12"))).hasSize(5);
        assertThat(ids(search(Personas.mary(), "?_lastUpdated=ge2000-01-01T00:00:00Z"))).hasSize(5);
        assertThat(ids(search(Personas.mary(), "?_lastUpdated=lt2000-01-01"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "date=yesterday", "date=2025-13-01", "date=ge2025-01-01T10:00:00", "_lastUpdated=x",
            "_count=abc", "_count=-1", "_page=0", "_cursor=not-a-cursor", "patient=abc", "subject=Group/30001",
            "_sort=date&_page=1&_cursor=bm90aGluZw" })
    void aMalformedParameterValueIs400Invalid(String query) {
        given().auth().oauth2(Personas.mary())
                .when().get("/fhir/r5/Observation?" + query)
                .then().statusCode(400)
                .contentType(startsWith("application/fhir+json"))
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].severity", equalTo("error"))
                .body("issue[0].code", equalTo("invalid"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "identifier=a%00b", "identifier=https://commonhealth.org%7C%00", "status=final%00",
            "code=omh:heart-rate:2.0%07", "_id=6000%001", "date=2025%00", "device=Device/7000%001", "x%00y=1",
            "_cursor=MX5ufjIwfjF-LTF-AA" })
    void aControlCharacterInAnyParameterIs400NamingItNever500(String query) {
        String body = given().auth().oauth2(Personas.mary()).urlEncodingEnabled(false)
                .when().get("/fhir/r5/Observation?" + query)
                .then().statusCode(400)
                .contentType(startsWith("application/fhir+json"))
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("invalid"))
                .extract().asString();

        assertThat(body).doesNotContain("\\u0000");
    }

    @Test
    void aForgedHostOrForwardedHostNeverReachesALink() {
        JsonPath bundle = given().auth().oauth2(Personas.mary()).header("Host", "evil.example")
                .header("X-Forwarded-Host", "evil.example").header("X-Forwarded-Proto", "http")
                .header("Forwarded", "host=evil.example;proto=http")
                .when().get("/FHIR/R5/Observation?patient=40001&_count=1")
                .then().statusCode(200).extract().jsonPath();

        assertThat(bundle.getString("link.find { it.relation == 'self' }.url"))
                .isEqualTo(Links.PUBLIC_URL + "/FHIR/R5/Observation?patient=40001&_count=1");
        assertThat(bundle.getString("link.find { it.relation == 'next' }.url"))
                .startsWith(Links.PUBLIC_URL + "/FHIR/R5/Observation?patient=40001&_count=1&_cursor=");
        assertThat(bundle.getString("entry[0].fullUrl")).startsWith(Links.PUBLIC_URL + "/FHIR/R5/Observation/");
        assertThat(bundle.prettify()).doesNotContain("evil.example");
    }

    @Test
    void countIsCappedAt1000AndUnknownParametersAreIgnored() {
        JsonPath bundle = search(Personas.mary(), "?_count=5000&unknown-parameter=1");
        assertThat(ids(bundle)).hasSize(5);
    }

    @Test
    void strictHandlingRefusesUnknownParameters() {
        given().auth().oauth2(Personas.mary()).header("Prefer", "handling=strict")
                .when().get("/fhir/r5/Observation?unknown-parameter=1")
                .then().statusCode(400).body("issue[0].code", equalTo("invalid"));
        given().auth().oauth2(Personas.mary()).header("Prefer", "handling=strict")
                .when().get("/fhir/r5/Observation?patient=40001")
                .then().statusCode(200);
    }

    @Test
    void searchByPostReadsTheFormBodyAndTheQuery() {
        JsonPath bundle = given().auth().oauth2(Personas.mary())
                .contentType("application/x-www-form-urlencoded")
                .formParam("patient", "40002")
                .when().post("/FHIR/R5/Observation/_search?code=omh:blood-pressure:4.0")
                .then().statusCode(200).extract().jsonPath();

        assertThat(ids(bundle)).isEqualTo(Set.of("60003", "60005"));
        assertThat(bundle.getString("link.find { it.relation == 'self' }.url"))
                .contains("/FHIR/R5/Observation?").contains("patient=40002");
    }

    @Test
    void withoutATokenTheSearchIs401() {
        given()
                .when().get("/fhir/r5/Observation")
                .then().statusCode(401)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("login"));
    }

    @Test
    void whenAdminServiceIsUnavailableTheAnswerIs503AndNoData() {
        Personas.control(adminUrl, "unavailable?on=true");

        given().auth().oauth2(Personas.tom())
                .when().get("/fhir/r5/Observation?patient=40004")
                .then().statusCode(503)
                .contentType(startsWith("application/fhir+json"))
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("transient"))
                .body("entry", nullValue());
    }

    @Test
    void revokingAConsentHidesTheDataWithinASecond() {
        assertThat(ids(search(Personas.megan(), "?patient=40002"))).contains("60004");

        Personas.control(adminUrl, "revoke?patient=40002&study=30001&code=omh:heart-rate:2.0");

        long start = System.nanoTime();
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> !ids(search(Personas.megan(), "?patient=40002")).contains("60004"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
        assertThat(ids(search(Personas.megan(), "?patient=40002"))).isEqualTo(Set.of("60003", "60005"));
        given().auth().oauth2(Personas.megan())
                .when().get("/fhir/r5/Observation/60004")
                .then().statusCode(404);
    }

    @Test
    void newestFirstByDefaultAndOldestFirstWhenSortedByLastUpdated() {
        List<String> newest = search(Personas.mary(), "").getList("entry.resource.id", String.class);
        List<String> oldest = search(Personas.mary(), "?_sort=_lastUpdated").getList("entry.resource.id", String.class);
        List<String> explicit = search(Personas.mary(), "?_sort=-_lastUpdated").getList("entry.resource.id", String.class);

        assertThat(newest).containsExactly("60005", "60004", "60003", "60002", "60001");
        assertThat(explicit).isEqualTo(newest);
        assertThat(oldest).containsExactly("60001", "60002", "60003", "60004", "60005");
    }

    static String seriesOf(String patient, String code) {
        LocalDate today = LocalDate.now(java.time.ZoneOffset.UTC);
        return "/fhir/r5/Observation/$series?patient=" + patient + "&code=" + code + "&date=ge" + today.minusDays(1)
                + "&date=lt" + today.plusDays(3);
    }

    @Test
    void aSeriesIsThePatientsObservationsOfOneCodeReducedToBuckets() {
        JsonPath series = given().auth().oauth2(Personas.mary())
                .when().get(seriesOf("40001", "omh:blood-pressure:4.0"))
                .then().statusCode(200).contentType(startsWith("application/json"))
                .header("Cache-Control", equalTo("no-store"))
                .extract().jsonPath();
        assertThat(series.getLong("count")).isEqualTo(1);
        assertThat(series.getInt("buckets")).isEqualTo(1000);
        assertThat(series.getList("n", Integer.class)).containsExactly(1);
        assertThat(series.getList("t")).hasSize(1);
        assertThat(series.getList("series.name", String.class))
                .containsExactlyInAnyOrder("systolic_blood_pressure", "diastolic_blood_pressure");
        assertThat(series.getList("series.unit", String.class)).containsExactly("mmHg", "mmHg");
        // one observation in its bucket: its own value, as least, greatest and mean
        assertThat(series.getList("series.find { it.name == 'systolic_blood_pressure' }.mean", Integer.class))
                .containsExactly(115);
        assertThat(series.getList("series.find { it.name == 'systolic_blood_pressure' }.min", Integer.class))
                .containsExactly(115);
        assertThat(series.getList("series.find { it.name == 'diastolic_blood_pressure' }.max", Integer.class))
                .containsExactly(60);
        // the time is the observation's own: one hour from the store's setup, on a whole second
        long seconds = series.getLong("t[0]");
        assertThat(seconds * 1000).isBetween(System.currentTimeMillis() - 86_400_000L,
                System.currentTimeMillis() + 2 * 3_600_000L);
    }

    @Test
    void aBucketOfSeveralObservationsCountsThemAll() {
        // Pamela's two blood pressures in one bucket
        given().auth().oauth2(Personas.mary())
                .when().get(seriesOf("40002", "omh:blood-pressure:4.0") + "&_buckets=1")
                .then().statusCode(200).body("count", equalTo(2)).body("buckets", equalTo(1))
                .body("n", equalTo(List.of(2))).body("series.size()", equalTo(2))
                .body("series.find { it.name == 'systolic_blood_pressure' }.min", equalTo(List.of(115)))
                .body("series.find { it.name == 'systolic_blood_pressure' }.max", equalTo(List.of(115)));
    }

    @Test
    void aSeriesKeepsTheSearchsOtherConditions() {
        given().auth().oauth2(Personas.mary())
                .when().get(seriesOf("40001", "omh:blood-pressure:4.0") + "&status=final,amended")
                .then().statusCode(200).body("count", equalTo(1)).body("series.size()", equalTo(2));
        given().auth().oauth2(Personas.mary())
                .when().get(seriesOf("40001", "omh:blood-pressure:4.0") + "&status=cancelled")
                .then().statusCode(200).body("count", equalTo(0)).body("t", empty()).body("series", empty());
        given().auth().oauth2(Personas.mary())
                .when().get(seriesOf("40001", "omh:blood-pressure:4.0") + "&_lastUpdated=lt2000-01-01")
                .then().statusCode(200).body("count", equalTo(0));
    }

    @Test
    void aSeriesShowsOnlyWhatASearchWould() {
        // another patient's data, asked for by a patient: nothing, as its search finds nothing
        given().auth().oauth2(Personas.peter())
                .when().get(seriesOf("40002", "omh:heart-rate:2.0"))
                .then().statusCode(200).body("count", equalTo(0)).body("t", empty()).body("series", empty());
        // a patient the caller may not see: 403, as its search
        given().auth().oauth2(Personas.mary())
                .when().get(seriesOf("40003", "omh:body-temperature:4.0"))
                .then().statusCode(403).body("issue[0].code", equalTo("forbidden"));
        given()
                .when().get(seriesOf("40001", "omh:blood-pressure:4.0"))
                .then().statusCode(401);
        // a revoked consent empties the series within a second
        given().auth().oauth2(Personas.megan())
                .when().get(seriesOf("40002", "omh:heart-rate:2.0"))
                .then().statusCode(200).body("count", equalTo(1)).body("series[0].name", equalTo("heart_rate"))
                .body("series[0].mean[0]", equalTo(67.5f));
        Personas.control(adminUrl, "revoke?patient=40002&study=30001&code=omh:heart-rate:2.0");
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> given().auth().oauth2(Personas.megan()).when()
                        .get(seriesOf("40002", "omh:heart-rate:2.0")).then().statusCode(200).extract().jsonPath()
                        .getLong("count") == 0);
    }

    @ParameterizedTest
    @ValueSource(strings = { "?patient=40001&code=omh:heart-rate:2.0",
            "?patient=40001&code=omh:heart-rate:2.0&date=ge2025-01-01",
            "?patient=40001&code=omh:heart-rate:2.0&date=ge2025-02-01&date=lt2025-01-01",
            "?patient=40001&code=omh:heart-rate:2.0&date=ge2020-01-01&date=lt2025-01-01",
            "?code=omh:heart-rate:2.0&date=ge2025-01-01&date=lt2025-02-01",
            "?patient=40001,40002&code=omh:heart-rate:2.0&date=ge2025-01-01&date=lt2025-02-01",
            "?patient=40001&date=ge2025-01-01&date=lt2025-02-01",
            "?patient=40001&code=omh:heart-rate:2.0&date=ge2025-01-01&date=lt2025-02-01&_buckets=0",
            "?patient=40001&code=omh:heart-rate:2.0&date=ge2025-01-01&date=lt2025-02-01&_buckets=2001",
            "?patient=40001&code=omh:heart-rate:2.0&date=ge2025-01-01&date=lt2025-02-01&_buckets=ten",
            "?patient=40001&code=omh:heart-rate:2.0&date=ge2025-01-01&date=ltJanuary" })
    void aSeriesWithoutOnePatientOneCodeAndABoundedRangeIs400(String query) {
        given().auth().oauth2(Personas.mary())
                .when().get("/fhir/r5/Observation/$series" + query)
                .then().statusCode(400).body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("invalid"));
    }
}
