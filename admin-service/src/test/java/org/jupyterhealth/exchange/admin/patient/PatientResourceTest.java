package org.jupyterhealth.exchange.admin.patient;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.Fixtures;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.Personas;
import org.jupyterhealth.exchange.common.testing.TestTokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class PatientResourceTest {

    @Test
    void practitionerListsThePatientsItSharesAnOrganizationWithInIdOrder() {
        given().auth().oauth2(Personas.megan())
                .when().get("/api/v1/patients?organization_id=20003")
                .then().statusCode(200)
                .body("count", equalTo(2))
                .body("results.id", contains(40001, 40002))
                .body("results[0].jheUserId", equalTo(10006))
                .body("results[0].telecomEmail", equalTo("ll_patient_peter@example.com"))
                .body("results[0].identifiers.system", hasItems("urn:oid:1.2.3.4"))
                .body("results[0].identifier", equalTo("abc123"))
                .body("results[0].organizationId", equalTo(20003))
                .body("results[0].organizations[0].name", equalTo("Lifespan Lab"))
                .body("results[0].organizations[0].currentUserRole", nullValue());
    }

    @Test
    void listFiltersByStudyPatientAndIdentifierAndIgnoresUnknownParameters() {
        given().auth().oauth2(Personas.tom()).when().get("/api/v1/patients?studyId=30005&bogus=x")
                .then().statusCode(200).body("results.id", contains(40004, 40005));
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/patients?patient_identifier_value=E1234")
                .then().statusCode(200).body("results.id", contains(40001));
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/patients?patient_id=40002")
                .then().statusCode(200).body("count", equalTo(1));
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/patients?organization_id=abc")
                .then().statusCode(400).body("detail", equalTo("organizationId must be an integer."));
    }

    @Test
    void listSearchesNamesAndEmailsAndSortsByNameEmailOrBirthDate() {
        String lab = "/api/v1/patients?organization_id=20003&";
        given().auth().oauth2(Personas.mary()).when().get(lab + "search=PETER")
                .then().statusCode(200).body("count", equalTo(1)).body("results.id", contains(40001));
        given().auth().oauth2(Personas.mary()).when().get(lab + "search=park, pe")
                .then().statusCode(200).body("results.id", contains(40001));
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/patients?search=peter park")
                .then().statusCode(200).body("results.id", contains(40001));
        given().auth().oauth2(Personas.mary()).when().get(lab + "search=ll_patient_pamela@")
                .then().statusCode(200).body("results.id", contains(40002));
        // LIKE's wildcards are taken literally
        given().auth().oauth2(Personas.mary()).when().get(lab + "search=%25")
                .then().statusCode(200).body("count", equalTo(0));
        given().auth().oauth2(Personas.mary()).when().get(lab + "search=ll_patient_p&ordering=-name")
                .then().statusCode(200).body("count", equalTo(2)).body("results.id", contains(40002, 40001));
        given().auth().oauth2(Personas.mary()).when().get(lab + "search=ll_patient_p&ordering=name")
                .then().statusCode(200).body("results.id", contains(40001, 40002));
        given().auth().oauth2(Personas.mary()).when().get(lab + "search=ll_patient_p&ordering=birth_date")
                .then().statusCode(200).body("results.id", contains(40002, 40001));
        given().auth().oauth2(Personas.mary()).when().get(lab + "search=ll_patient_p&ordering=-email&limit=1")
                .then().statusCode(200).body("count", equalTo(2)).body("results.id", contains(40001));
        // a search finds nobody the caller shares no organization with
        given().auth().oauth2(Personas.mark()).when().get(lab + "search=peter")
                .then().statusCode(200).body("count", equalTo(0));
        given().auth().oauth2(Personas.mary()).when().get(lab + "ordering=age")
                .then().statusCode(400).body("errors.ordering", org.hamcrest.Matchers.notNullValue());
        given().auth().oauth2(Personas.mary()).when().get(lab + "search=" + "x".repeat(101))
                .then().statusCode(400).body("errors.search", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void superusersPatientsAndOutsidersSeeNoPatients() {
        for (String token : List.of(Personas.admin(), Personas.peter())) {
            given().auth().oauth2(token).when().get("/api/v1/patients")
                    .then().statusCode(200).body("count", equalTo(0));
        }
        given().auth().oauth2(Personas.mark()).when().get("/api/v1/patients?organization_id=20003")
                .then().statusCode(200).body("count", equalTo(0));
        given().when().get("/api/v1/patients").then().statusCode(401);
        // the organization's list (read from its counter) is no different
        given().auth().oauth2(Personas.peter()).when().get("/api/v1/patients?organization_id=20003&page=1")
                .then().statusCode(200).body("count", equalTo(0)).body("results.size()", equalTo(0));
        given().auth().oauth2(TestTokens.expired()).when().get("/api/v1/patients?organization_id=20003")
                .then().statusCode(401).body("detail", equalTo("Authentication credentials were not provided."));
    }

    @Test
    void listingRemembersTheCurrentOrganizationAndStudyInTheProfile() {
        long org = Fixtures.organization();
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/patients?organization_id=" + org + "&study_id=30001")
                .then().statusCode(200);
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/users/profile")
                .then().body("settings.currentOrganizationId", equalTo((int) org))
                .body("settings.currentStudyId", equalTo(30001));
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/patients?organization_id=20003")
                .then().statusCode(200);
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/users/profile")
                .then().body("settings.currentOrganizationId", equalTo(20003))
                .body("settings.currentStudyId", nullValue());
        // an organization the practitioner does not belong to is not remembered
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/patients?organization_id=20004")
                .then().statusCode(200).body("count", equalTo(0));
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/users/profile")
                .then().body("settings.currentOrganizationId", equalTo(20003));
    }

    @Test
    void aPractitionerReadsOnlyPatientsOfItsOrganizationsAPatientOnlyItself() {
        given().auth().oauth2(Personas.victor()).when().get("/api/v1/patients/40001")
                .then().statusCode(200).body("nameFamily", equalTo("Park"));
        given().auth().oauth2(Personas.mark()).when().get("/api/v1/patients/40001")
                .then().statusCode(403)
                .body("detail", equalTo("Current User does not have authorization to access this Patient."));
        given().auth().oauth2(Personas.peter()).when().get("/api/v1/patients/40001").then().statusCode(200);
        given().auth().oauth2(Personas.peter()).when().get("/api/v1/patients/40002").then().statusCode(403);
        given().auth().oauth2(Personas.admin()).when().get("/api/v1/patients/40001").then().statusCode(403);
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/patients/404404").then().statusCode(404);
        given().auth().oauth2(Personas.peter()).when().get("/api/v1/patients/me")
                .then().statusCode(200).body("id", equalTo(40001)).body("birthDate", equalTo("1984-03-12"));
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/patients/me")
                .then().statusCode(403).body("detail", equalTo("Current user is not a patient."));
    }

    @Test
    void memberCreatesAPatientWithAnAccountAndIdentifiers() {
        long org = Fixtures.organization();
        Fixtures.member(org, 10003, "member");
        String email = Fixtures.unique("new") + "@example.org";

        Map<String, Object> created = given().auth().oauth2(Personas.megan()).contentType(ContentType.JSON)
                .body(Map.of("organization_id", org, "telecom_email", email, "name_family", "Lane",
                        "nameGiven", "Lois", "birthDate", "2000-01-01", "identifiers",
                        List.of(Map.of("system", "http://hospital-a.org", "value", Fixtures.unique("MRN")),
                                Map.of("system", "http://hospital-b.org", "value", Fixtures.unique("MRN")))))
                .when().post("/api/v1/patients")
                .then().statusCode(201)
                .body("telecomEmail", equalTo(email))
                .body("nameFamily", equalTo("Lane"))
                .body("organizations[0].id", equalTo((int) org))
                .body("identifiers.size()", equalTo(2))
                .extract().as(Map.class);
        Response located = given().auth().oauth2(Personas.megan())
                .contentType(ContentType.JSON)
                .body(Map.of("organizationId", org, "telecomEmail", Fixtures.unique("located") + "@example.org"))
                .when().post("/api/v1/patients");
        assertThat(located.statusCode()).isEqualTo(201);
        assertThat(located.header("Location")).endsWith("/api/v1/patients/" + located.path("id"));

        assertThat(IdentityStandIn.accountByEmail(email)).get()
                .satisfies(a -> assertThat(a.get("userType")).isEqualTo("patient"));
        given().auth().oauth2(Personas.megan()).when().get("/api/v1/patients/" + created.get("id"))
                .then().statusCode(200).body("jheUserId", equalTo(created.get("jheUserId")));
    }

    @Test
    void createValidatesEmailBirthDateAndIdentifiersAndLeavesNoAccountBehind() {
        long org = Fixtures.organization();
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("organizationId", org, "birthDate", "2000-01-01"))
                .when().post("/api/v1/patients").then().statusCode(400)
                .body("detail", equalTo("Email is required to create a patient."));
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("organizationId", org, "telecomEmail", "notanemail"))
                .when().post("/api/v1/patients").then().statusCode(400)
                .body("detail", equalTo("Enter a valid email address."));
        String badDate = Fixtures.unique("bad-birthdate") + "@example.com";
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("organizationId", org, "telecomEmail", badDate, "birthDate", "not-a-date"))
                .when().post("/api/v1/patients").then().statusCode(400)
                .body("detail", equalTo("Enter a valid birth date (YYYY-MM-DD)."));
        assertThat(IdentityStandIn.accountByEmail(badDate)).isEmpty();

        String mrn = Fixtures.unique("MRN-DUP");
        Map<String, Object> id = Map.of("system", "http://hospital-a.org", "value", mrn);
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("organizationId", org, "telecomEmail", Fixtures.unique("a") + "@example.com",
                        "identifiers", List.of(id)))
                .when().post("/api/v1/patients").then().statusCode(201);
        String second = Fixtures.unique("b") + "@example.com";
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("organizationId", org, "telecomEmail", second, "identifiers", List.of(id)))
                .when().post("/api/v1/patients").then().statusCode(400)
                .body("detail", containsString(mrn));
        assertThat(IdentityStandIn.accountByEmail(second)).isEmpty();
    }

    @Test
    void viewersAndOutsidersCannotCreatePatientsAndNothingIsCreated() {
        String email = Fixtures.unique("denied") + "@example.org";
        for (String token : List.of(Personas.victor(), Personas.mark(), Personas.peter())) {
            given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body(Map.of("organizationId", 20003, "telecomEmail", email))
                    .when().post("/api/v1/patients").then().statusCode(403);
        }
        assertThat(IdentityStandIn.accountByEmail(email)).isEmpty();
    }

    @Test
    void updateReplacesIdentifiersAndNeedsTheOrganization() {
        long org = Fixtures.organization();
        long patient = Fixtures.patient(org);
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of("nameGiven", "Joanna"))
                .when().patch("/api/v1/patients/" + patient)
                .then().statusCode(400).body("detail", equalTo("organizationId required"));
        given().auth().oauth2(Personas.victor()).contentType(ContentType.JSON).body(Map.of("nameGiven", "Joanna"))
                .when().patch("/api/v1/patients/" + patient + "?organizationId=20003")
                .then().statusCode(403);
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("nameGiven", "Joanna", "identifiers", List.of(
                        Map.of("system", "http://hospital-b.org", "value", Fixtures.unique("NEW")),
                        Map.of("system", "http://hospital-c.org", "value", Fixtures.unique("NEW")),
                        Map.of("system", "missing-value"))))
                .when().patch("/api/v1/patients/" + patient + "?organizationId=" + org)
                .then().statusCode(200)
                .body("nameGiven", equalTo("Joanna"))
                .body("nameFamily", equalTo("Doe"))
                .body("identifiers.system", contains("http://hospital-b.org", "http://hospital-c.org"));
    }

    @Test
    void deletingFromTheLastOrganizationDeletesThePatientAndItsAccount() {
        long org = Fixtures.organization();
        long patient = Fixtures.patient(org);
        Number userId = given().auth().oauth2(Personas.mary()).when().get("/api/v1/patients/" + patient)
                .then().extract().path("jheUserId");

        given().auth().oauth2(Personas.victor()).when().delete("/api/v1/patients/" + patient + "?organization_id=" + org)
                .then().statusCode(403);
        given().auth().oauth2(Personas.mary()).when().delete("/api/v1/patients/" + patient)
                .then().statusCode(400);
        given().auth().oauth2(Personas.mary()).when().delete("/api/v1/patients/" + patient + "?organization_id=" + org)
                .then().statusCode(204);

        given().auth().oauth2(Personas.mary()).when().get("/api/v1/patients/" + patient).then().statusCode(404);
        assertThat(IdentityStandIn.ACCOUNTS).doesNotContainKey(userId.longValue());
    }

    @Test
    void addingAnExistingPatientToAnotherOrganization() {
        long org = Fixtures.organization();
        long other = Fixtures.organization();
        long patient = Fixtures.patient(org);
        given().auth().oauth2(Personas.mary())
                .when().patch("/api/v1/patients/" + patient + "/global_add_organization?organization_id=" + org)
                .then().statusCode(400).body("detail", containsString("already a member"));
        given().auth().oauth2(Personas.mark())
                .when().patch("/api/v1/patients/" + patient + "/global_add_organization?organization_id=" + other)
                .then().statusCode(403);
        given().auth().oauth2(Personas.mary())
                .when().patch("/api/v1/patients/" + patient + "/global_add_organization?organization_id=999999")
                .then().statusCode(404);
        given().auth().oauth2(Personas.mary())
                .when().patch("/api/v1/patients/" + patient + "/global_add_organization?organization_id=" + other)
                .then().statusCode(200).body("organizations.id", hasItems((int) org, (int) other));
    }

    @Test
    void globalLookupShowsPhiOnlyToPractitionersSharingAnOrganization() {
        given().auth().oauth2(Personas.mary())
                .when().get("/api/v1/patients/global_lookup?email=ll_patient_peter@example.com")
                .then().statusCode(200).body("[0].id", equalTo(40001)).body("[0].nameFamily", equalTo("Park"));
        given().auth().oauth2(Personas.mark())
                .when().get("/api/v1/patients/global_lookup?email=ll_patient_peter@example.com")
                .then().statusCode(200).body("[0].id", equalTo(40001)).body("[0].nameFamily", nullValue())
                .body("[0].jheUserId", equalTo(10006));
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/patients/global_lookup?email=nobody@example.org")
                .then().statusCode(200).body("size()", equalTo(0));
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/patients/global_lookup")
                .then().statusCode(400).body("detail", equalTo("email parameter required"));
        given().auth().oauth2(Personas.pamela())
                .when().get("/api/v1/patients/global_lookup?email=ll_patient_peter@example.com")
                .then().statusCode(403);
    }

    @Test
    void consolidatedClientsAreTheAppsOfThePatientsStudies() {
        given().auth().oauth2(Personas.peter()).when().get("/api/v1/patients/40001/consolidated_clients")
                .then().statusCode(200)
                .body("clientId", contains("carex", "patient-access"))
                .body("[0].invitationUrl", equalTo("https://carex.ai/invitation/CODE"));
        given().auth().oauth2(Personas.mark()).when().get("/api/v1/patients/40001/consolidated_clients")
                .then().statusCode(403);
    }

    @Test
    void aPagePastTheEndIs404InPageStyleAndEmptyInOffsetStyle() {
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/patients?organization_id=20003&page=999&pageSize=3")
                .then().statusCode(404).body("detail", equalTo("Invalid page."));
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/patients?organization_id=20003&offset=10")
                .then().statusCode(200).body("count", equalTo(2)).body("results.size()", equalTo(0));
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/patients?organization_id=20003&page=2&page_size=1")
                .then().statusCode(200).body("results.id", contains(40002))
                .body("previous", containsString("page_size=1"));
    }

    @Test
    void anOrganizationsPatientCountFollowsEveryAdditionAndRemoval() {
        long org = Fixtures.organization();
        long other = Fixtures.organization();
        long first = Fixtures.patient(org);
        long second = Fixtures.patient(org);
        Fixtures.patient(org);
        assertThat(patientCount(org)).isEqualTo(3);
        assertThat(patientCount(other)).isZero();

        given().auth().oauth2(Personas.mary())
                .when().patch("/api/v1/patients/" + first + "/global_add_organization?organization_id=" + other)
                .then().statusCode(200);
        assertThat(patientCount(other)).isEqualTo(1);

        // removed from its only organization: the patient is deleted
        given().auth().oauth2(Personas.mary()).when().delete("/api/v1/patients/" + second + "?organization_id=" + org)
                .then().statusCode(204);
        // removed from one of two organizations: the patient stays in the other
        given().auth().oauth2(Personas.mary()).when().delete("/api/v1/patients/" + first + "?organization_id=" + org)
                .then().statusCode(204);
        assertThat(patientCount(org)).isEqualTo(1);
        assertThat(patientCount(other)).isEqualTo(1);
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/patients?organization_id=" + org + "&page=2&page_size=1")
                .then().statusCode(404).body("detail", equalTo("Invalid page."));
        // a practitioner outside the organization is told of no patient at all
        given().auth().oauth2(Personas.mark()).when().get("/api/v1/patients?organization_id=" + other)
                .then().statusCode(200).body("count", equalTo(0)).body("results.size()", equalTo(0));
    }

    @Test
    void everyPageOfAnOrganizationsListIsItsSliceInIdOrderInBothHalves() {
        long org = Fixtures.organization();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(Fixtures.patient(org));
        }
        Collections.sort(ids);
        // pages of the second half are read from the end of the index: the same slices, in the same order
        for (int size = 1; size <= 4; size++) {
            for (int offset = 0; offset <= 8; offset++) {
                List<Long> expected = ids.subList(Math.min(offset, 7), Math.min(offset + size, 7));
                List<Number> got = given().auth().oauth2(Personas.mary())
                        .when().get("/api/v1/patients?organization_id=" + org + "&limit=" + size + "&offset=" + offset)
                        .then().statusCode(200).body("count", equalTo(7)).extract().path("results.id");
                assertThat(got.stream().map(Number::longValue).toList()).as("limit %d offset %d", size, offset)
                        .isEqualTo(expected);
            }
        }
        List<Number> lastPage = given().auth().oauth2(Personas.mary())
                .when().get("/api/v1/patients?organization_id=" + org + "&page=3&pageSize=3")
                .then().statusCode(200).extract().path("results.id");
        assertThat(lastPage.stream().map(Number::longValue).toList()).isEqualTo(ids.subList(6, 7));
    }

    private static int patientCount(long organization) {
        return given().auth().oauth2(Personas.mary()).when().get("/api/v1/patients?organization_id=" + organization)
                .then().statusCode(200).extract().path("count");
    }
}
