package org.jupyterhealth.exchange.fhir.resource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.testing.FhirSearch;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.common.testing.TestTokens;
import org.jupyterhealth.exchange.fhir.support.FakeAdmin;
import org.jupyterhealth.exchange.fhir.support.ObservationStore;
import org.jupyterhealth.exchange.fhir.support.Personas;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code _source} and {@code _source:below} choose one store for the types that also have records of the exchange's
 * own (Patient, Group, Organization, Practitioner, Device), as for Observation: a FHIR source's URL (or the FHIR
 * sources' URL with {@code :below}) searches the resource store's resources of the type, with its access decisions;
 * no source (or the exchange's own) searches the exchange's records; any other source finds nothing.
 */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
@QuarkusTestResource(FakeAdmin.class)
@QuarkusTestResource(ObservationStore.class)
class StoreSourceSearchTest {
    static final List<String> MAPPED = List.of("Patient", "Group", "Organization", "Practitioner", "Device");
    static final String SOURCES = "https://jupyterhealth.org/fhir/fhir-source";
    static final String PETERS = SOURCES + "/90001";
    static final String PAMELAS = SOURCES + "/90002";

    @ConfigProperty(name = "jhe.fhir.admin-url")
    String adminUrl;

    @AfterEach
    void resetAdmin() {
        Personas.control(adminUrl, "reset");
    }

    /** A resource of the type stored for the patient through the source, with its name as a search value. */
    static String stored(String type, long patient, long source, String name) {
        return StoreResourceTest.insert(type, patient, source, StoreWriteTest.mappedBody(type, name), null, null,
                "name=|" + name.toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void aFhirSourceSearchesTheStoresResourcesOfTheTypeAndNoSourceTheExchangesOwnRecords() {
        for (String type : MAPPED) {
            String name = "Src" + UUID.randomUUID().toString().substring(0, 8);
            String id = stored(type, 40001, 90001, name);
            String pamelas = stored(type, 40002, 90002, name);

            Set<String> bySource = FhirSearch.ids(Personas.peter(), type + "?_source=" + PETERS);
            assertThat(bySource).as(type).contains(id).doesNotContain(pamelas)
                    .allMatch(found -> found.matches("[0-9a-f-]{36}"));
            assertThat(FhirSearch.ids(Personas.peter(), type + "?_source:below=" + SOURCES)).as(type)
                    .contains(id).doesNotContain(pamelas);
            assertThat(FhirSearch.ids(Personas.peter(), type + "?_source:below=" + SOURCES + "/")).as(type)
                    .contains(id);
            assertThat(FhirSearch.ids(Personas.peter(), type + "?_source:below=" + PETERS)).as(type).contains(id);
            // the store's own parameters narrow it (the name as a prefix, case aside)
            assertThat(FhirSearch.ids(Personas.peter(), type + "?_source=" + PETERS + "&name="
                    + name.substring(0, 6).toUpperCase(java.util.Locale.ROOT))).as(type).containsExactly(id);
            assertThat(FhirSearch.ids(Personas.peter(), type + "?_source=" + PETERS + "&name=zz" + name)).as(type)
                    .isEmpty();
            // another source: not this resource
            assertThat(FhirSearch.ids(Personas.peter(), type + "?_source=" + PAMELAS)).as(type).doesNotContain(id);
            assertThat(FhirSearch.ids(Personas.pamela(), type + "?_source=" + PAMELAS)).as(type)
                    .contains(pamelas).doesNotContain(id);

            // no source, or the exchange's own: the exchange's records (integer ids), never the store's
            Set<String> own = FhirSearch.ids(Personas.peter(), type);
            assertThat(own).as(type).isNotEmpty().doesNotContain(id).allMatch(found -> found.matches("\\d+"));
            assertThat(FhirSearch.ids(Personas.peter(), type + "?_source=https://jupyterhealth.org/jhe"))
                    .as(type).isEqualTo(own);
            // any other source: nothing, in either store
            assertThat(FhirSearch.ids(Personas.peter(), type + "?_source=https://example.org/fhir")).as(type)
                    .isEmpty();
            assertThat(FhirSearch.ids(Personas.peter(), type + "?_source:below=https://jupyterhealth.org/jhe"))
                    .as(type).isEmpty();
            assertThat(FhirSearch.ids(Personas.peter(), type + "?_source=" + SOURCES + "/not-a-source"))
                    .as(type).isEmpty();
        }
        assertThat(FhirSearch.ids(Personas.peter(), "Patient")).contains("40001");
    }

    @Test
    void anotherPatientAndAPractitionerOfAnotherOrganizationDoNotSeeTheStoredResources() {
        for (String type : MAPPED) {
            String id = stored(type, 40001, 90001, "Hidden" + UUID.randomUUID().toString().substring(0, 8));

            assertThat(FhirSearch.ids(Personas.pamela(), type + "?_source:below=" + SOURCES)).as(type)
                    .doesNotContain(id);
            assertThat(FhirSearch.ids(Personas.pamela(), type + "?_source=" + PETERS)).as(type).isEmpty();
            assertThat(FhirSearch.ids(Personas.mark(), type + "?_source:below=" + SOURCES)).as(type)
                    .doesNotContain(id);
            given().auth().oauth2(Personas.mark())
                    .when().get("/fhir/r5/" + type + "?_source=" + PETERS + "&patient=40001")
                    .then().statusCode(403).body("resourceType", equalTo("OperationOutcome"))
                    .body("issue[0].code", equalTo("forbidden"));
            // a practitioner of the patient's organization, without the patient's consent to the type's scope
            assertThat(FhirSearch.ids(Personas.mary(), type + "?_source:below=" + SOURCES)).as(type)
                    .doesNotContain(id);
        }
    }

    @Test
    void aPractitionerSeesTheStoredResourcesOfATypeThePatientConsentedTo() {
        String id = stored("Organization", 40001, 90001, "Consented" + UUID.randomUUID().toString().substring(0, 8));
        assertThat(FhirSearch.ids(Personas.mary(), "Organization?_source=" + PETERS)).doesNotContain(id);

        given().baseUri(adminUrl).when().get("/_control/consent?patient=40001&study=30001&code=Organization")
                .then().statusCode(200);

        // once the access decision kept for a second is gone
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> FhirSearch.ids(Personas.mary(), "Organization?_source=" + PETERS).contains(id));
        assertThat(FhirSearch.ids(Personas.mary(), "Organization?_source:below=" + SOURCES + "&patient=40001"))
                .contains(id);
        assertThat(FhirSearch.ids(Personas.mary(), "Organization?_source:below=" + SOURCES
                + "&patient._has:Group:member:_id=30001")).contains(id);
        // the scope of one type is not another's
        String patient = stored("Patient", 40001, 90001, "Unconsented");
        assertThat(FhirSearch.ids(Personas.mary(), "Patient?_source=" + PETERS)).doesNotContain(patient);
        // a practitioner of another organization still sees nothing of the patient's
        assertThat(FhirSearch.ids(Personas.mark(), "Organization?_source=" + PETERS)).doesNotContain(id);
    }

    @Test
    void aSourceSearchIsRefusedWithoutAValidTokenAndAcceptedWithStrictHandling() {
        for (String type : MAPPED) {
            given().when().get("/fhir/r5/" + type + "?_source=" + PETERS)
                    .then().statusCode(401).body("resourceType", equalTo("OperationOutcome"));
            given().auth().oauth2(TestTokens.expired()).when().get("/fhir/r5/" + type + "?_source:below=" + SOURCES)
                    .then().statusCode(401).body("resourceType", equalTo("OperationOutcome"));
            given().auth().oauth2(Personas.peter()).header("Prefer", "handling=strict")
                    .when().get("/fhir/r5/" + type + "?_source:below=" + SOURCES)
                    .then().statusCode(200).body("type", equalTo("searchset"));
            given().auth().oauth2(Personas.peter()).header("Prefer", "handling=strict")
                    .when().get("/fhir/r5/" + type + "?_source:below=" + SOURCES + "&bogus=1")
                    .then().statusCode(400).body("resourceType", equalTo("OperationOutcome"));
        }
    }
}
