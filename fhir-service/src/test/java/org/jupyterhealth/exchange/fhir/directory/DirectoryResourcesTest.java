package org.jupyterhealth.exchange.fhir.directory;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.jupyterhealth.exchange.common.testing.FhirSearch.ids;

import java.util.List;
import java.util.Set;

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

/** FHIR Group (studies), Organization and Device (data sources): what each persona sees, their renderings and filters. */
@QuarkusTest
@QuarkusTestResource(JwksTestResource.class)
@QuarkusTestResource(FakeAdmin.class)
@QuarkusTestResource(ObservationStore.class)
class DirectoryResourcesTest {

    @Test
    void studiesAreTheGroupsOfTheCallersOrganizationsOrOfAPatientsEnrolments() {
        assertThat(ids(Personas.mary(), "Group")).isEqualTo(Set.of("30001", "30002"));
        assertThat(ids(Personas.tom(), "Group")).isEqualTo(Set.of("30001", "30002", "30004", "30005"));
        assertThat(ids(Personas.pat(), "Group")).isEqualTo(Set.of("30003", "30005"));
        assertThat(ids(Personas.admin(), "Group")).isEmpty();
        assertThat(ids(Personas.tom(), "Group?name=cosmic")).isEqualTo(Set.of("30005"));
    }

    @Test
    void aStudyIsAnEnumeratedGroupOfPersonsManagedByItsOrganization() {
        given().auth().oauth2(Personas.mary())
                .when().get("/FHIR/R5/Group/30001")
                .then().statusCode(200)
                .body("resourceType", equalTo("Group"))
                .body("id", equalTo("30001"))
                .body("type", equalTo("person"))
                .body("membership", equalTo("enumerated"))
                .body("name", equalTo("Lifespan Study on BP & HR"))
                .body("code.coding[0].system", equalTo("https://jupyterhealth.org/fhir/CodeSystem/model"))
                .body("code.coding[0].code", equalTo("study"))
                .body("managingEntity.reference", equalTo("Organization/20003"));
        given().auth().oauth2(Personas.mary())
                .when().get("/fhir/r5/Group/30003")
                .then().statusCode(404).body("issue[0].code", equalTo("not-found"));
    }

    @Test
    void organizationsAreThoseTheCallerBelongsTo() {
        assertThat(ids(Personas.mary(), "Organization")).isEqualTo(Set.of("20001", "20002", "20003"));
        assertThat(ids(Personas.pat(), "Organization")).isEqualTo(Set.of("20006", "20008"));
        assertThat(ids(Personas.mary(), "Organization?partof=20001")).isEqualTo(Set.of("20002"));
        assertThat(ids(Personas.mary(), "Organization?name=life")).isEqualTo(Set.of("20003"));
        given().auth().oauth2(Personas.mary())
                .when().get("/fhir/r5/Organization/20002")
                .then().statusCode(200)
                .body("name", equalTo("Saturn School of Data Science"))
                .body("type[0].coding[0].code", equalTo("organization"))
                .body("partOf.reference", equalTo("Organization/20001"));
        given().auth().oauth2(Personas.mary())
                .when().get("/fhir/r5/Organization/20008")
                .then().statusCode(404);
    }

    @Test
    void dataSourcesAreTheDevicesOfTheCallersStudies() {
        assertThat(ids(Personas.mary(), "Device")).isEqualTo(Set.of("70001", "70005"));
        assertThat(ids(Personas.tom(), "Device")).isEqualTo(Set.of("70001", "70003", "70005"));
        assertThat(ids(Personas.mary(), "Device?type=data-source")).isEqualTo(Set.of("70001", "70005"));
        assertThat(ids(Personas.mary(), "Device?type=personal_device")).isEqualTo(Set.of("70001"));
        assertThat(ids(Personas.mary(), "Device?device-name=care")).isEqualTo(Set.of("70001"));
        given().auth().oauth2(Personas.mary())
                .when().get("/fhir/r5/Device/70001")
                .then().statusCode(200)
                .body("resourceType", equalTo("Device"))
                .body("name[0].value", equalTo("CareX"))
                .body("type[0].coding.code", equalTo(List.of("data-source", "personal_device")));
    }

    @Test
    void groupsPageInNameOrder() {
        JsonPath first = given().auth().oauth2(Personas.tom())
                .when().get("/fhir/r5/Group?_count=3")
                .then().statusCode(200).extract().jsonPath();
        assertThat(first.getInt("total")).isEqualTo(4);
        assertThat(first.getList("entry.resource.name", String.class))
                .containsExactly("Cosmic Cardio Lab Study on O2", "Lifespan Study on BP", "Lifespan Study on BP & HR");
        JsonPath second = given().auth().oauth2(Personas.tom())
                .when().get(Links.local(first.getString("link.find { it.relation == 'next' }.url")))
                .then().statusCode(200).extract().jsonPath();
        assertThat(second.getList("entry.resource.id", String.class)).containsExactly("30004");
    }

    @Test
    void practitionersAreThoseSharingAnOrganizationWithTheCaller() {
        // Megan's Lifespan Lab has four practitioners, Megan included; Mark shares one organization with Tom
        assertThat(ids(Personas.megan(), "Practitioner")).isEqualTo(Set.of("80001", "80002", "80003", "80004"));
        assertThat(ids(Personas.mark(), "Practitioner")).isEqualTo(Set.of("80004", "80005"));
        // a patient sees the practitioners of its organizations; a superuser without memberships none
        assertThat(ids(Personas.percy(), "Practitioner")).isEqualTo(Set.of("80004", "80005"));
        assertThat(ids(Personas.admin(), "Practitioner")).isEmpty();
        given().auth().oauth2(Personas.mark())
                .when().get("/fhir/r5/Practitioner/80001")
                .then().statusCode(404).body("issue[0].code", equalTo("not-found"));
        // an expired token reads nobody
        given().header("Authorization", TestTokens.badAuthorizations().get("expired"))
                .when().get("/fhir/r5/Practitioner/80002")
                .then().statusCode(401).body("issue[0].code", equalTo("login"));
    }

    @Test
    void aPractitionerIsRenderedWithItsIdentifierAndNameAndListedByFamilyName() {
        given().auth().oauth2(Personas.megan())
                .when().get("/FHIR/R5/Practitioner/80003")
                .then().statusCode(200)
                .body("resourceType", equalTo("Practitioner"))
                .body("id", equalTo("80003"))
                .body("meta.source", equalTo("https://jupyterhealth.org/jhe"))
                .body("identifier[0].system", equalTo("https://jupyterhealth.org/fhir/identifier/practitioner"))
                .body("identifier[0].value", equalTo("fhir-444"))
                .body("name[0].family", equalTo("Vance"))
                .body("name[0].given[0]", equalTo("Victor"));
        JsonPath list = given().auth().oauth2(Personas.megan())
                .when().get("/fhir/r5/Practitioner")
                .then().statusCode(200).extract().jsonPath();
        assertThat(list.getList("entry.resource.collect { it.name[0].family }", String.class))
                .containsExactly("Mayer", "Moore", "Tanaka", "Vance");
        assertThat(list.getInt("total")).isEqualTo(4);
    }

    @Test
    void practitionersAreSearchedByNamePrefixAndIdentifier() {
        assertThat(ids(Personas.megan(), "Practitioner?name=MO")).isEqualTo(Set.of("80002"));
        assertThat(ids(Personas.megan(), "Practitioner?name=vic")).isEqualTo(Set.of("80003"));
        assertThat(ids(Personas.megan(), "Practitioner?name=ma,vi")).isEqualTo(Set.of("80001", "80003"));
        assertThat(ids(Personas.megan(), "Practitioner?identifier=fhir-555")).isEqualTo(Set.of("80004"));
        assertThat(ids(Personas.megan(), "Practitioner?identifier=urn:any|fhir-555")).isEqualTo(Set.of("80004"));
        assertThat(ids(Personas.mark(), "Practitioner?identifier=fhir-333")).isEmpty();
        assertThat(ids(Personas.megan(), "Practitioner?_id=80002&name=moore")).isEqualTo(Set.of("80002"));
        given().auth().oauth2(Personas.megan())
                .when().get("/fhir/r5/Practitioner?_summary=count")
                .then().statusCode(200).body("total", equalTo(4));
    }

    @ParameterizedTest
    @ValueSource(strings = { "/fhir/r5/Questionnaire", "/FHIR/R5/Binary/1", "/fhir/r5/Flag" })
    void anUnsupportedResourceTypeIs404(String path) {
        given().auth().oauth2(Personas.mary())
                .when().get(path)
                .then().statusCode(404)
                .contentType(startsWith("application/fhir+json"))
                .body("resourceType", equalTo("OperationOutcome"))
                .body("issue[0].code", equalTo("not-supported"))
                .body("issue[0].diagnostics", startsWith("Unsupported FHIR resource type: "));
    }

    @ParameterizedTest
    @ValueSource(strings = { "Group", "Organization", "Device", "Practitioner" })
    void withoutATokenEachTypeIs401(String type) {
        given()
                .when().get("/fhir/r5/" + type)
                .then().statusCode(401).body("issue[0].code", equalTo("login"));
    }
}
