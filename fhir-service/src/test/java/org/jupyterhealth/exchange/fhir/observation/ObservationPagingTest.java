package org.jupyterhealth.exchange.fhir.observation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.common.testing.TestTokens;
import org.jupyterhealth.exchange.fhir.support.FakeAdmin;
import org.jupyterhealth.exchange.fhir.support.Links;
import org.jupyterhealth.exchange.fhir.support.ObservationStore;
import org.jupyterhealth.exchange.fhir.support.Personas;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Paging through a patient's observations while new ones arrive: following {@code next} yields every row that
 * existed at the first page exactly once, in order, with a true total; {@code previous} walks back; {@code _page}
 * still works. Patient 40010 of the paging organization, seen by practitioner 10012.
 */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
@QuarkusTestResource(FakeAdmin.class)
@QuarkusTestResource(ObservationStore.class)
class ObservationPagingTest {
    static final long PATIENT = 40010;
    final List<Long> stored = new ArrayList<>();

    @BeforeEach
    void storeObservations() {
        ObservationStore.deletePatient(PATIENT);
        OffsetDateTime base = OffsetDateTime.of(2025, 6, 1, 8, 0, 0, 0, ZoneOffset.UTC);
        for (int i = 0; i < 45; i++) {
            // some undated rows, and rows sharing an effective time, to exercise the keyset's ties and nulls
            OffsetDateTime effective = i % 7 == 0 ? null : base.plusMinutes((i % 5) * 10L);
            stored.add(ObservationStore.insert(PATIENT, FakeAdmin.HR, effective, null, "final", null, null));
        }
    }

    @AfterEach
    void removeObservations() {
        ObservationStore.deletePatient(PATIENT);
    }

    static JsonPath get(String pathOrLink) {
        return given().auth().oauth2(Personas.paige())
                .when().get(pathOrLink.startsWith("/") ? pathOrLink : Links.local(pathOrLink))
                .then().statusCode(200).extract().jsonPath();
    }

    static String link(JsonPath bundle, String relation) {
        return bundle.getString("link.find { it.relation == '" + relation + "' }.url");
    }

    static List<String> ids(JsonPath bundle) {
        List<String> ids = bundle.getList("entry.resource.id", String.class);
        return ids == null ? List.of() : ids;
    }

    /** Follows next from the first page, inserting an observation before each following fetch. */
    List<String> readAllWhileInserting(String firstUrl, int expectedPages) {
        List<String> seen = new ArrayList<>();
        JsonPath page = get(firstUrl);
        int pages = 1;
        seen.addAll(ids(page));
        assertThat(page.getInt("total")).isEqualTo(45);
        while (link(page, "next") != null) {
            ObservationStore.insert(PATIENT, FakeAdmin.HR, OffsetDateTime.of(2025, 6, 1, 8, 15, 0, 0, ZoneOffset.UTC),
                    null, "final", null, null);
            page = get(link(page, "next"));
            pages++;
            assertThat(page.getInt("total")).as("the total stays that of the first page").isEqualTo(45);
            seen.addAll(ids(page));
        }
        assertThat(pages).isEqualTo(expectedPages);
        return seen;
    }

    @Test
    void followingNextWhileObservationsArriveYieldsEveryRowOnceNewestFirst() {
        List<String> seen = readAllWhileInserting("/fhir/r5/Observation?patient=40010&_count=10", 5);

        List<String> expected = new ArrayList<>(stored.stream().map(String::valueOf).toList());
        Collections.reverse(expected);
        assertThat(seen).containsExactlyElementsOf(expected);
    }

    @Test
    void oldestFirstPagingLeavesOutRowsThatArrivedAfterTheFirstPage() {
        List<String> seen = readAllWhileInserting("/FHIR/R5/Observation?patient=40010&_count=10&_sort=_lastUpdated", 5);

        assertThat(seen).containsExactlyElementsOf(stored.stream().map(String::valueOf).toList());
    }

    List<String> undated() {
        List<String> undated = new ArrayList<>();
        for (int i = 0; i < stored.size(); i++) {
            if (i % 7 == 0) {
                undated.add(String.valueOf(stored.get(i)));
            }
        }
        return undated;
    }

    @Test
    void pagingByClinicalTimeAscendingKeepsUndatedRowsLastAndRepeatsNothing() {
        List<String> ascending = readAllWhileInserting("/fhir/r5/Observation?patient=40010&_count=4&_sort=date", 12);

        assertThat(ascending).doesNotHaveDuplicates().hasSize(45);
        List<String> undated = undated();
        assertThat(ascending.subList(45 - undated.size(), 45)).containsExactlyElementsOf(undated);
    }

    @Test
    void pagingByClinicalTimeDescendingKeepsUndatedRowsLastAndRepeatsNothing() {
        List<String> descending = readAllWhileInserting("/fhir/r5/Observation?patient=40010&_count=6&_sort=-date", 8);

        assertThat(descending).doesNotHaveDuplicates().hasSize(45);
        List<String> undated = undated();
        Collections.reverse(undated);
        assertThat(descending.subList(45 - undated.size(), 45)).containsExactlyElementsOf(undated);
    }

    @Test
    void previousWalksBackToTheFirstPage() {
        JsonPath first = get("/fhir/r5/Observation?patient=40010&_count=10");
        JsonPath second = get(link(first, "next"));
        JsonPath third = get(link(second, "next"));

        JsonPath back = get(link(third, "previous"));
        assertThat(ids(back)).isEqualTo(ids(second));
        JsonPath backAgain = get(link(back, "previous"));
        assertThat(ids(backAgain)).isEqualTo(ids(first));
        assertThat(link(backAgain, "previous")).isNull();
        assertThat(link(first, "previous")).isNull();
        assertThat(ids(get(link(backAgain, "next")))).isEqualTo(ids(second));
    }

    @Test
    void nextLinksKeepTheSearchAndTheClientsStyle() {
        JsonPath first = get("/FHIR/R5/Observation?patient=40010&_count=10&code=omh:heart-rate:2.0");

        assertThat(link(first, "next")).startsWith(Links.PUBLIC_URL
                + "/FHIR/R5/Observation?patient=40010&_count=10&code=omh:heart-rate:2.0&_cursor=");
    }

    @Test
    void theOriginalsPageNumbersStillWork() {
        List<String> all = ids(get("/fhir/r5/Observation?patient=40010&_count=45"));

        JsonPath third = get("/fhir/r5/Observation?patient=40010&_count=10&_page=3");
        assertThat(ids(third)).isEqualTo(all.subList(20, 30));
        assertThat(third.getInt("total")).isEqualTo(45);
        assertThat(ids(get(link(third, "next")))).isEqualTo(all.subList(30, 40));
        assertThat(ids(get(link(third, "previous")))).isEqualTo(all.subList(10, 20));
        JsonPath last = get("/fhir/r5/Observation?patient=40010&_count=10&_page=5");
        assertThat(ids(last)).isEqualTo(all.subList(40, 45));
        assertThat(link(last, "next")).isNull();
        assertThat(ids(get("/fhir/r5/Observation?patient=40010&_count=10&_page=9"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "MX5ufjV-OTl-NH5hYmM", "MX5ufjV-OTk5OTk5OTk5OTk5OTk5OTk5fjR-MTIz", "MX5ufjV-OTl-NH4tOTk5OTk5OTk5OTk5OTk5OTk", "bm90aGluZw" })
    void aForgedCursorIs400(String cursor) {
        given().auth().oauth2(Personas.paige())
                .when().get("/fhir/r5/Observation?patient=40010&_cursor=" + cursor)
                .then().statusCode(400).body("issue[0].code", equalTo("invalid"));
    }

    @Test
    void aPageFarPastTheEndIsEmpty() {
        assertThat(ids(get("/fhir/r5/Observation?patient=40010&_count=1000&_page=2147483647"))).isEmpty();
        assertThat(ids(get("/fhir/r5/Patient?_count=1000&_page=2147483647"))).isEmpty();
    }

    @Test
    void theTotalFollowsRemovedRowsAndAgreesWithACountedSearch() throws Exception {
        try (var db = ObservationStore.connect();
                var delete = db.prepareStatement("DELETE FROM ingest.observation WHERE id = ANY(?)")) {
            delete.setArray(1, db.createArrayOf("bigint", stored.subList(0, 5).toArray()));
            assertThat(delete.executeUpdate()).isEqualTo(5);
        }

        // without row conditions the total comes from the per-patient, per-code counters; with one, from the rows
        assertThat(get("/fhir/r5/Observation?patient=40010&_count=10").getInt("total")).isEqualTo(40);
        assertThat(get("/fhir/r5/Observation?patient=40010&_summary=count").getInt("total")).isEqualTo(40);
        assertThat(get("/fhir/r5/Observation?patient=40010&status=final&_count=10").getInt("total")).isEqualTo(40);
        assertThat(get("/fhir/r5/Observation?patient=40010&code=" + FakeAdmin.HR + "&_count=10").getInt("total"))
                .isEqualTo(40);
    }

    @Test
    void theFirstPageAndItsTotalNeedAValidTokenAndAccessToThePatient() {
        given().auth().oauth2(TestTokens.expired())
                .when().get("/fhir/r5/Observation?patient=40010&_count=10")
                .then().statusCode(401).body("resourceType", equalTo("OperationOutcome"));
        // Mary shares no organization with patient 40010: its rows are not counted for her
        given().auth().oauth2(Personas.mary())
                .when().get("/fhir/r5/Observation?patient=40010&_count=10")
                .then().statusCode(403).body("resourceType", equalTo("OperationOutcome"));
    }

    @Test
    void totalNoneSkipsTheCount() {
        JsonPath page = get("/fhir/r5/Observation?patient=40010&_count=10&_total=none");

        assertThat(page.getString("total")).isNull();
        assertThat(ids(page)).hasSize(10);
        assertThat(link(page, "next")).isNotNull();
    }

    @Test
    void aCursorCannotWidenAccess() {
        JsonPath first = get("/fhir/r5/Observation?patient=40010&_count=10");

        given().auth().oauth2(Personas.mary())
                .when().get(Links.local(link(first, "next")).replace("patient=40010&", ""))
                .then().statusCode(200)
                .body("entry.resource.subject.reference.findAll { it == 'Patient/40010' }.size()", equalTo(0));
    }
}
