package org.jupyterhealth.exchange.fhir.observation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.fhir.support.FakeAdmin;
import org.jupyterhealth.exchange.fhir.support.ObservationStore;
import org.jupyterhealth.exchange.fhir.support.Personas;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Row filters of Observation search: _id, identifier (system honoured), device, status, date, and the renderings they show. */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
@QuarkusTestResource(FakeAdmin.class)
@QuarkusTestResource(ObservationStore.class)
class ObservationFiltersTest {
    static final long PATIENT = 40010;
    long morning;
    long evening;
    long amended;
    long period;

    @BeforeEach
    void storeObservations() {
        ObservationStore.deletePatient(PATIENT);
        morning = ObservationStore.insert(PATIENT, FakeAdmin.HR, at(2025, 3, 1, 8), 70004L, "final",
                "https://carex.example/ids", "m-1");
        evening = ObservationStore.insert(PATIENT, FakeAdmin.HR, at(2025, 3, 1, 20), null, "final",
                "https://other.example/ids", "m-1");
        amended = ObservationStore.insert(PATIENT, FakeAdmin.HR, at(2025, 3, 2, 9), 70004L, "amended", null, null);
        period = ObservationStore.insert(PATIENT, FakeAdmin.HR, null, null, "final", null, null);
        try (var db = ObservationStore.connect(); var update = db.prepareStatement("UPDATE ingest.observation SET "
                + "effective_period_start = '2025-03-03T10:00:00Z', effective_period_end = '2025-03-03T11:00:00Z' "
                + "WHERE id = ?")) {
            update.setLong(1, period);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void removeObservations() {
        ObservationStore.deletePatient(PATIENT);
    }

    static OffsetDateTime at(int year, int month, int day, int hour) {
        return OffsetDateTime.of(year, month, day, hour, 0, 0, 0, ZoneOffset.UTC);
    }

    static Set<Long> ids(String query) {
        JsonPath bundle = given().auth().oauth2(Personas.paige())
                .when().get("/fhir/r5/Observation?patient=40010&" + query)
                .then().statusCode(200).extract().jsonPath();
        List<String> ids = bundle.getList("entry.resource.id", String.class);
        return ids == null ? Set.of() : Set.copyOf(ids.stream().map(Long::valueOf).toList());
    }

    @Test
    void idMatchesExactlyAndAnIdOfAnotherShapeMatchesNothing() {
        assertThat(ids("_id=" + morning)).containsExactly(morning);
        assertThat(ids("_id=" + morning + "," + evening)).containsExactlyInAnyOrder(morning, evening);
        assertThat(ids("_id=not-an-id")).isEmpty();
    }

    @Test
    void identifierHonoursTheSystem() {
        assertThat(ids("identifier=https://carex.example/ids|m-1")).containsExactly(morning);
        assertThat(ids("identifier=m-1")).containsExactlyInAnyOrder(morning, evening);
        assertThat(ids("identifier=https://wrong.example|m-1")).isEmpty();
        assertThat(ids("identifier=https://other.example/ids|")).containsExactly(evening);
    }

    @Test
    void deviceAndStoredStatusFilter() {
        assertThat(ids("device=Device/70004")).containsExactlyInAnyOrder(morning, amended);
        assertThat(ids("device=70001")).isEmpty();
        assertThat(ids("status=amended")).containsExactly(amended);
        assertThat(ids("status=final")).containsExactlyInAnyOrder(morning, evening, period);
        assertThat(ids("status=final,amended")).hasSize(4);
    }

    @Test
    void dateMatchesTheInstantOrThePeriodStartAtTheValuesPrecision() {
        assertThat(ids("date=2025-03-01")).containsExactlyInAnyOrder(morning, evening);
        assertThat(ids("date=eq2025-03")).hasSize(4);
        assertThat(ids("date=ge2025-03-02")).containsExactlyInAnyOrder(amended, period);
        assertThat(ids("date=gt2025-03-02")).containsExactly(period);
        assertThat(ids("date=lt2025-03-01T12:00:00Z")).containsExactly(morning);
        assertThat(ids("date=le2025-03-01T08:00Z")).containsExactly(morning);
        assertThat(ids("date=ge2025-03-01T08:00:00Z&date=lt2025-03-02")).containsExactlyInAnyOrder(morning, evening);
        assertThat(ids("date=2025-03-03T10:00:00+00:00")).containsExactly(period);
        assertThat(ids("date=ne2025-03-01")).containsExactlyInAnyOrder(amended, period);
    }

    @Test
    void theDeviceStatusAndPeriodAreRendered() {
        given().auth().oauth2(Personas.paige())
                .when().get("/fhir/r5/Observation/" + amended)
                .then().statusCode(200)
                .body("status", equalTo("amended"))
                .body("device.reference", equalTo("Device/70004"))
                .body("effectiveDateTime", equalTo("2025-03-02T09:00:00Z"));
        given().auth().oauth2(Personas.paige())
                .when().get("/fhir/r5/Observation/" + period)
                .then().statusCode(200)
                .body("effectivePeriod.start", equalTo("2025-03-03T10:00:00Z"))
                .body("effectivePeriod.end", equalTo("2025-03-03T11:00:00Z"))
                .body("effectiveDateTime", equalTo(null));
        given().auth().oauth2(Personas.paige())
                .when().get("/fhir/r5/Observation/" + morning)
                .then().statusCode(200)
                .body("identifier[0].system", equalTo("https://carex.example/ids"))
                .body("identifier[0].value", equalTo("m-1"));
    }

    @Test
    void sortByDateKeepsUndatedLastAndBreaksTiesById() {
        long undated = ObservationStore.insert(PATIENT, FakeAdmin.HR, null, null, "final", null, null);
        List<String> ascending = given().auth().oauth2(Personas.paige())
                .when().get("/fhir/r5/Observation?patient=40010&_sort=date")
                .then().statusCode(200).extract().jsonPath().getList("entry.resource.id", String.class);
        List<String> descending = given().auth().oauth2(Personas.paige())
                .when().get("/fhir/r5/Observation?patient=40010&_sort=-date")
                .then().statusCode(200).extract().jsonPath().getList("entry.resource.id", String.class);

        assertThat(ascending).containsExactly(String.valueOf(morning), String.valueOf(evening), String.valueOf(amended),
                String.valueOf(period), String.valueOf(undated));
        assertThat(descending).containsExactly(String.valueOf(period), String.valueOf(amended), String.valueOf(evening),
                String.valueOf(morning), String.valueOf(undated));
    }
}
