package org.jupyterhealth.exchange.fhir.patient;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.jupyterhealth.exchange.common.testing.FhirSearch.ids;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

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

/** FHIR Patient search and read: each persona sees the patients of the organizations it shares, a patient itself. */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
@QuarkusTestResource(FakeAdmin.class)
@QuarkusTestResource(ObservationStore.class)
class PatientResourceTest {

    static JsonPath search(String token, String query) {
        return FhirSearch.searchset(token, "Patient" + query);
    }

    static Stream<Arguments> personas() {
        return Stream.of(
                Arguments.of("manager Mary", Personas.mary(), Set.of("40001", "40002")),
                Arguments.of("viewer Victor", Personas.victor(), Set.of("40001", "40002")),
                Arguments.of("three-org Tom", Personas.tom(), Set.of("40001", "40002", "40003", "40004", "40005")),
                Arguments.of("manager Mark", Personas.mark(), Set.of("40003", "40005")),
                Arguments.of("patient Peter", Personas.peter(), Set.of("40001")),
                Arguments.of("superuser without memberships", Personas.admin(), Set.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("personas")
    void eachPersonaSeesThePatientsOfTheOrganizationsItShares(String who, String token, Set<String> expected) {
        JsonPath bundle = search(token, "");

        assertThat(ids(bundle)).isEqualTo(expected);
        assertThat(bundle.getInt("total")).isEqualTo(expected.size());
    }

    @Test
    void aPatientIsRenderedWithItsIdentifiersNameBirthDateAndTelecom() {
        given().auth().oauth2(Personas.mary())
                .when().get("/FHIR/R5/Patient/40001")
                .then().statusCode(200)
                .contentType(startsWith("application/fhir+json"))
                .body("resourceType", equalTo("Patient"))
                .body("id", equalTo("40001"))
                .body("meta.source", equalTo("https://jupyterhealth.org/jhe"))
                .body("identifier.system", equalTo(List.of("https://openwearables.io/ns/patient-id", "urn:oid:1.2.3.4")))
                .body("identifier.value", equalTo(List.of("abc123", "E1234")))
                .body("name[0].family", equalTo("Family40001"))
                .body("name[0].given", equalTo(List.of("Given40001")))
                .body("birthDate", equalTo("1980-01-06"))
                .body("telecom.system", equalTo(List.of("phone", "email")))
                .body("telecom.use", equalTo(List.of("mobile", "home")));
    }

    @Test
    void theGuidesPatientSearchByStudyWorksVerbatim() {
        assertThat(ids(search(Personas.mary(), "?_has:Group:member:_id=30001"))).isEqualTo(Set.of("40001", "40002"));
        assertThat(ids(search(Personas.mary(), "?patient._has:Group:member:_id=30002")))
                .isEqualTo(Set.of("40001", "40002"));
        assertThat(ids(search(Personas.tom(), "?_has:Group:member:_id=30005"))).isEqualTo(Set.of("40004", "40005"));
    }

    @Test
    void aStudyOrOrganizationTheCallerMayNotSeeIs403() {
        given().auth().oauth2(Personas.mary())
                .when().get("/fhir/r5/Patient?_has:Group:member:_id=30003")
                .then().statusCode(403).body("issue[0].code", equalTo("forbidden"));
        given().auth().oauth2(Personas.mary())
                .when().get("/fhir/r5/Patient?organization=20008")
                .then().statusCode(403).body("issue[0].code", equalTo("forbidden"));
    }

    @Test
    void organizationIdentifierNameAndBirthDateFilter() {
        assertThat(ids(search(Personas.tom(), "?organization=20008"))).isEqualTo(Set.of("40004", "40005"));
        assertThat(ids(search(Personas.mary(), "?identifier=urn:oid:1.2.3.4|E1234"))).isEqualTo(Set.of("40001"));
        assertThat(ids(search(Personas.mary(), "?identifier=E1234"))).isEqualTo(Set.of("40001"));
        assertThat(ids(search(Personas.mary(), "?identifier=https://wrong.example|E1234"))).isEmpty();
        assertThat(ids(search(Personas.mary(), "?family=family4000"))).isEqualTo(Set.of("40001", "40002"));
        assertThat(ids(search(Personas.mary(), "?family=Family40002"))).isEqualTo(Set.of("40002"));
        assertThat(ids(search(Personas.mary(), "?given=GIVEN40001"))).isEqualTo(Set.of("40001"));
        assertThat(ids(search(Personas.mary(), "?name=given4000&name=family40002"))).isEqualTo(Set.of("40002"));
        assertThat(ids(search(Personas.mary(), "?name=nobody"))).isEmpty();
        assertThat(ids(search(Personas.mary(), "?birthdate=1980-01-06"))).isEqualTo(Set.of("40001"));
        assertThat(ids(search(Personas.mary(), "?birthdate=ge1980-01-07"))).isEqualTo(Set.of("40002"));
        assertThat(ids(search(Personas.mary(), "?_id=40002"))).isEqualTo(Set.of("40002"));
    }

    @Test
    void aPatientSeesOnlyItselfWhateverItAsksFor() {
        assertThat(ids(search(Personas.peter(), "?_id=40002"))).isEmpty();
        given().auth().oauth2(Personas.peter())
                .when().get("/fhir/r5/Patient/40002")
                .then().statusCode(404).body("issue[0].code", equalTo("not-found"));
        given().auth().oauth2(Personas.peter())
                .when().get("/fhir/r5/Patient/40001")
                .then().statusCode(200).body("id", equalTo("40001"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "40003", "99999", "abc" })
    void aPatientOutsideThePractitionersOrganizationsReadsAs404(String id) {
        given().auth().oauth2(Personas.mary())
                .when().get("/fhir/r5/Patient/" + id)
                .then().statusCode(404)
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("not-found"));
    }

    @Test
    void pagesFollowNextInNameOrder() {
        List<String> seen = new ArrayList<>();
        JsonPath page = search(Personas.tom(), "?_count=2");
        seen.addAll(page.getList("entry.resource.id", String.class));
        int pages = 1;
        while (page.getString("link.find { it.relation == 'next' }.url") != null) {
            page = given().auth().oauth2(Personas.tom())
                    .when().get(Links.local(page.getString("link.find { it.relation == 'next' }.url")))
                    .then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("entry.resource.id", String.class));
            assertThat(page.getInt("total")).isEqualTo(5);
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly("40001", "40002", "40003", "40004", "40005");
        assertThat(search(Personas.tom(), "?_count=2&_page=2").getList("entry.resource.id", String.class))
                .containsExactly("40003", "40004");
    }

    @Test
    void badValuesAre400AndATokenIsRequired() {
        given().auth().oauth2(Personas.mary())
                .when().get("/fhir/r5/Patient?birthdate=someday")
                .then().statusCode(400).body("issue[0].code", equalTo("invalid"));
        given().auth().oauth2(Personas.mary())
                .when().get("/fhir/r5/Patient?organization=Group/1")
                .then().statusCode(400).body("issue[0].code", equalTo("invalid"));
        given()
                .when().get("/fhir/r5/Patient")
                .then().statusCode(401).body("issue[0].code", equalTo("login"));
    }
}
