package org.jupyterhealth.exchange.admin.organization;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.Personas;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class OrganizationResourceTest {

    private static String unique(String prefix) {
        return prefix + " " + UUID.randomUUID().toString().substring(0, 8);
    }

    private static long createUnder(String token, long parent) {
        return ((Number) given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("name", unique("Team"), "type", "team", "partOf", parent))
                .when().post("/api/v1/organizations")
                .then().statusCode(201)
                .extract().path("id")).longValue();
    }

    @Test
    void superuserListsEveryOrganizationIncludingRootInTheEnvelope() {
        given().auth().oauth2(Personas.admin())
                .when().get("/api/v1/organizations?page_size=100")
                .then().statusCode(200)
                .body("results.id", hasItems(0, 20001, 20003, 20008))
                .body("results.find { it.id == 0 }.name", equalTo("ROOT"))
                .body("results.find { it.id == 20003 }.currentUserRole", equalTo("super_user"))
                .body("results.find { it.id == 20003 }.children", empty())
                .body("previous", nullValue());
    }

    @Test
    void practitionerListsOnlyTheOrganizationsItBelongsTo() {
        given().auth().oauth2(Personas.tom())
                .when().get("/api/v1/organizations")
                .then().statusCode(200)
                .body("count", equalTo(3))
                .body("results.id", contains(20008, 20003, 20007))
                .body("results.currentUserRole", contains("manager", "viewer", "member"));
    }

    @Test
    void patientSeesOnlyItsOwnOrganizations() {
        given().auth().oauth2(Personas.peter())
                .when().get("/api/v1/organizations")
                .then().statusCode(200)
                .body("count", equalTo(1))
                .body("results[0].id", equalTo(20003))
                .body("results[0].currentUserRole", nullValue());
    }

    @Test
    void listPaginatesInBothStylesWithAbsoluteLinksInTheStyleUsed() {
        given().auth().oauth2(Personas.admin())
                .when().get("/api/v1/organizations?limit=2&offset=2")
                .then().statusCode(200)
                .body("results.size()", equalTo(2))
                .body("next", allOf(startsWith("http"), containsString("offset=4"), containsString("limit=2")))
                .body("previous", not(containsString("offset=")));
        given().auth().oauth2(Personas.admin())
                .when().get("/api/v1/organizations?page=2&pageSize=2")
                .then().statusCode(200)
                .body("results.size()", equalTo(2))
                .body("next", allOf(containsString("page=3"), containsString("pageSize=2"),
                        not(containsString("page_size"))))
                .body("previous", allOf(containsString("pageSize=2"), not(containsString("page_size"))));
        given().auth().oauth2(Personas.admin())
                .when().get("/api/v1/organizations?page=999")
                .then().statusCode(404)
                .body("detail", equalTo("Invalid page."));
    }

    @Test
    void typesAreTheOriginalsChoices() {
        given().auth().oauth2(Personas.peter())
                .when().get("/api/v1/organizations/types/")
                .then().statusCode(200)
                .body("prov", equalTo("Healthcare Provider"))
                .body("laboratory", equalTo("Laboratory"));
    }

    @Test
    void memberReadsItsOrganizationButNotAnother() {
        given().auth().oauth2(Personas.megan())
                .when().get("/api/v1/organizations/20003")
                .then().statusCode(200)
                .body("name", equalTo("Lifespan Lab"))
                .body("partOf", equalTo(20002))
                .body("currentUserRole", equalTo("member"));
        given().auth().oauth2(Personas.megan())
                .when().get("/api/v1/organizations/20004")
                .then().statusCode(403)
                .body("detail", equalTo("You do not have permission to perform this action."));
        given().auth().oauth2(Personas.admin())
                .when().get("/api/v1/organizations/424242")
                .then().statusCode(404)
                .body("detail", equalTo("No Organization matches the given query."));
    }

    @Test
    void anonymousCallersGet401() {
        given().when().get("/api/v1/organizations").then().statusCode(401)
                .body("detail", equalTo("Authentication credentials were not provided."));
        given().contentType(ContentType.JSON).body(Map.of("name", "x", "type", "team"))
                .when().post("/api/v1/organizations").then().statusCode(401);
    }

    @Test
    void onlyASuperuserCreatesATopLevelOrganization() {
        String name = unique("Top");
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "type", "prov"))
                .when().post("/api/v1/organizations")
                .then().statusCode(403)
                .body("detail", equalTo("You don't have permission to create a top-level organization."));
        given().auth().oauth2(Personas.admin())
                .when().get("/api/v1/organizations?page_size=1000")
                .then().body("results.name", not(hasItem(name)));

        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "type", "prov", "part_of", 0))
                .when().post("/api/v1/organizations")
                .then().statusCode(201)
                .body("name", equalTo(name))
                .body("partOf", equalTo(0))
                .body("currentUserRole", equalTo("super_user"))
                .body("children", empty());
    }

    @Test
    void managerCreatesASubOrganizationAndBecomesItsManager() {
        long id = createUnder(Personas.mary(), 20003);

        given().auth().oauth2(Personas.mary())
                .when().get("/api/v1/organizations/" + id)
                .then().statusCode(200)
                .body("partOf", equalTo(20003))
                .body("currentUserRole", equalTo("manager"));
        given().auth().oauth2(Personas.mary())
                .when().get("/api/v1/organizations/20003/tree")
                .then().statusCode(200)
                .body("children.id", hasItem((int) id));
    }

    @Test
    void membersAndViewersCannotCreateSubOrganizations() {
        for (String token : List.of(Personas.megan(), Personas.victor(), Personas.peter(), Personas.mark())) {
            given().auth().oauth2(token).contentType(ContentType.JSON)
                    .body(Map.of("name", unique("Nope"), "type", "team", "partOf", 20003))
                    .when().post("/api/v1/organizations")
                    .then().statusCode(403);
        }
    }

    @Test
    void invalidTypeOrMissingNameIs400NamingTheField() {
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("name", "Lab", "type", "castle", "partOf", 20003))
                .when().post("/api/v1/organizations")
                .then().statusCode(400)
                .body("errors.type[0]", equalTo("\"castle\" is not a valid choice."));
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("type", "team", "partOf", 20003))
                .when().post("/api/v1/organizations")
                .then().statusCode(400)
                .body("errors.name[0]", equalTo("This field is required."));
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body("{not json")
                .when().post("/api/v1/organizations")
                .then().statusCode(400)
                .body("detail", notNullValue());
    }

    @Test
    void managerOfTheParentRenamesAndDeletesASubOrganization() {
        long id = createUnder(Personas.mary(), 20003);

        given().auth().oauth2(Personas.megan()).contentType(ContentType.JSON).body(Map.of("name", "Renamed"))
                .when().patch("/api/v1/organizations/" + id)
                .then().statusCode(403);
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of("name", "Renamed"))
                .when().patch("/api/v1/organizations/" + id)
                .then().statusCode(200)
                .body("name", equalTo("Renamed"))
                .body("type", equalTo("team"));

        given().auth().oauth2(Personas.megan()).when().delete("/api/v1/organizations/" + id).then().statusCode(403);
        given().auth().oauth2(Personas.mary()).when().delete("/api/v1/organizations/" + id).then().statusCode(204);
        given().auth().oauth2(Personas.admin()).when().get("/api/v1/organizations/" + id).then().statusCode(404);
    }

    @Test
    void organizationCannotBeMovedBelowItself() {
        long parent = createUnder(Personas.mary(), 20003);
        long child = createUnder(Personas.mary(), parent);

        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of("partOf", child))
                .when().patch("/api/v1/organizations/" + parent)
                .then().statusCode(400)
                .body("errors.partOf[0]", equalTo("An organization cannot be placed below itself."));
    }

    @Test
    void membersSeeThePractitionersOfTheirOrganizationOthersDoNot() {
        given().auth().oauth2(Personas.megan())
                .when().get("/api/v1/organizations/20003/users")
                .then().statusCode(200)
                .body("email", hasItems("manager_mary@example.com", "member_megan@example.com",
                        "viewer_victor@example.com", "three_org_tom@example.com"))
                .body("find { it.id == 10002 }.role", equalTo("manager"))
                .body("find { it.id == 10002 }.lastName", equalTo("Mayer"));
        given().auth().oauth2(Personas.mark())
                .when().get("/api/v1/organizations/20003/users")
                .then().statusCode(403);
    }

    @Test
    void managerAddsChangesAndRemovesAPractitioner() {
        long org = createUnder(Personas.mary(), 20003);
        String path = "/api/v1/organizations/" + org;

        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("jhe_user_id", 10003, "organization_partitioner_role", "viewer"))
                .when().post(path + "/user")
                .then().statusCode(201)
                .body("role", equalTo("viewer"))
                .body("practitioner.id", equalTo(80002))
                .body("organization.id", equalTo((int) org));
        // a viewer may not promote itself
        given().auth().oauth2(Personas.megan()).contentType(ContentType.JSON)
                .body(Map.of("jheUserId", 10003, "organizationPartitionerRole", "manager"))
                .when().post(path + "/user")
                .then().statusCode(403);
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("jheUserId", 10003, "organizationPartitionerRole", "member"))
                .when().post(path + "/user")
                .then().statusCode(200)
                .body("role", equalTo("member"));

        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of("jheUserId", 10003))
                .when().delete(path + "/remove_user")
                .then().statusCode(204);
        List<Integer> ids = given().auth().oauth2(Personas.mary()).when().get(path + "/users")
                .then().statusCode(200).extract().path("id");
        assertThat(ids).containsExactly(10002);
    }

    @Test
    void addingAUserRefusesMissingUnknownAndPatientAccounts() {
        String path = "/api/v1/organizations/20003/user";
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("organizationPartitionerRole", "viewer"))
                .when().post(path).then().statusCode(400)
                .body("detail", equalTo("jhe_user_id is required"));
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("jheUserId", 9_999_999, "organizationPartitionerRole", "viewer"))
                .when().post(path).then().statusCode(404);
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("jheUserId", 10006, "organizationPartitionerRole", "viewer"))
                .when().post(path).then().statusCode(404)
                .body("detail", equalTo("Practitioner not found"));
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("jheUserId", 10003, "organizationPartitionerRole", "owner"))
                .when().post(path).then().statusCode(400);
    }

    @Test
    void aPractitionerAdmin_serviceHasNotSeenIsFoundThroughIdentityService() {
        long org = createUnder(Personas.mary(), 20003);
        long newcomer = IdentityStandIn.createAccount("newcomer-" + UUID.randomUUID() + "@example.org",
                "practitioner");

        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("jheUserId", newcomer, "organizationPartitionerRole", "member"))
                .when().post("/api/v1/organizations/" + org + "/user")
                .then().statusCode(201)
                .body("practitioner.jheUserId", equalTo((int) newcomer));
    }

    @Test
    void organizationStudiesAreListedByName() {
        given().auth().oauth2(Personas.megan())
                .when().get("/api/v1/organizations/20003/studies")
                .then().statusCode(200)
                .body("id", contains(30002, 30001))
                .body("[0].organization.name", equalTo("Lifespan Lab"))
                .body("[0].organizationId", equalTo(20003));
    }

    @Test
    void aCreatedOrganizationAndANewMembershipNameTheirLocation() {
        Response created = given().auth().oauth2(Personas.mary())
                .contentType(ContentType.JSON)
                .body(Map.of("name", unique("Located"), "type", "team", "part_of", "20003"))
                .when().post("/api/v1/organizations/");
        created.then().statusCode(201);
        long id = ((Number) created.path("id")).longValue();
        assertThat(created.header("Location")).endsWith("/api/v1/organizations/" + id);

        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("jheUserId", 10003, "role", "viewer"))
                .when().post("/api/v1/organizations/" + id + "/user")
                .then().statusCode(201)
                .header("Location", endsWith("/api/v1/organizations/" + id + "/users"))
                .body("role", equalTo("viewer"));
    }

    @Test
    void aPatchChangesOnlyWhatItNamesAndAnExplicitNullParentIsTopLevel() {
        long id = createUnder(Personas.mary(), 20003);
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of("type", "dept"))
                .when().patch("/api/v1/organizations/" + id)
                .then().statusCode(200).body("type", equalTo("dept")).body("partOf", equalTo(20003));
        // moving to the top level is a superuser's
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body("{\"partOf\": null}")
                .when().patch("/api/v1/organizations/" + id)
                .then().statusCode(403)
                .body("detail", equalTo(OrganizationService.TOP_LEVEL_REFUSED));
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON).body("{\"part_of\": null}")
                .when().patch("/api/v1/organizations/" + id)
                .then().statusCode(200).body("partOf", nullValue());
    }

    @Test
    void anUnknownRoleIsQuotedInTheAnswerAsSentAndNeverInterpreted() {
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("jheUserId", 10003, "role", "${1+1}{choice}"))
                .when().post("/api/v1/organizations/20003/user")
                .then().statusCode(400)
                .body("errors.role[0]", equalTo("\"${1+1}{choice}\" is not a valid choice."))
                .body("detail", equalTo("role: \"${1+1}{choice}\" is not a valid choice."));
    }

    /** A practitioner's account of this test only, made a member of the organization (by a superuser). */
    private static long newMember(long organization) {
        long account = IdentityStandIn.createAccount("staff-" + UUID.randomUUID() + "@example.org", "practitioner");
        join(organization, account);
        return account;
    }

    private static void join(long organization, long account) {
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("jheUserId", account, "organizationPartitionerRole", "member"))
                .when().post("/api/v1/organizations/" + organization + "/user")
                .then().statusCode(201);
    }

    private static Response setRequirePasskey(String token, long organization, Object value) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("requirePasskey", value))
                .when().patch("/api/v1/organizations/" + organization);
    }

    @Test
    void aSuperuserRequiresPasskeysOfAnOrganizationsStaffAndIdentityServiceIsToldWhoseItIs() {
        long orgA = createUnder(Personas.mary(), 20003);
        long orgB = createUnder(Personas.mary(), 20003);
        long calls = IdentityStandIn.PASSKEY_REQUIREMENT_CALLS.get();
        long both = newMember(orgA);
        join(orgB, both);
        long onlyA = newMember(orgA);
        // nothing to say while no organization requires passkeys
        assertThat(IdentityStandIn.PASSKEY_REQUIREMENT_CALLS.get()).isEqualTo(calls);
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/organizations/" + orgA)
                .then().statusCode(200).body("requirePasskey", equalTo(false));

        // the manager may not change it, only repeat it
        setRequirePasskey(Personas.mary(), orgA, true).then().statusCode(403)
                .body("detail", equalTo(OrganizationService.PASSKEY_REFUSED));
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("name", "Kept", "requirePasskey", false))
                .when().patch("/api/v1/organizations/" + orgA)
                .then().statusCode(200).body("requirePasskey", equalTo(false)).body("name", equalTo("Kept"));
        assertThat(IdentityStandIn.PASSKEY_REQUIRED).doesNotContain(both, onlyA, 10002L);

        setRequirePasskey(Personas.admin(), orgA, true).then().statusCode(200).body("requirePasskey", equalTo(true));
        assertThat(IdentityStandIn.PASSKEY_REQUIRED).contains(both, onlyA, 10002L);
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/organizations/" + orgA)
                .then().statusCode(200).body("requirePasskey", equalTo(true));
        setRequirePasskey(Personas.admin(), orgB, true).then().statusCode(200);

        // a practitioner joining a requiring organization is required; leaving it, no longer
        long newcomer = newMember(orgA);
        assertThat(IdentityStandIn.PASSKEY_REQUIRED).contains(newcomer);
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON).body(Map.of("jheUserId", newcomer))
                .when().delete("/api/v1/organizations/" + orgA + "/remove_user").then().statusCode(204);
        assertThat(IdentityStandIn.PASSKEY_REQUIRED).doesNotContain(newcomer);

        // unset on A: who is still a member of B (which requires it) stays required
        setRequirePasskey(Personas.admin(), orgA, false).then().statusCode(200).body("requirePasskey", equalTo(false));
        assertThat(IdentityStandIn.PASSKEY_REQUIRED).contains(both, 10002L).doesNotContain(onlyA);

        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON).body(Map.of("jheUserId", both))
                .when().delete("/api/v1/organizations/" + orgB + "/remove_user").then().statusCode(204);
        assertThat(IdentityStandIn.PASSKEY_REQUIRED).doesNotContain(both);
        // deleting the last requiring organization of its manager ends the manager's requirement
        given().auth().oauth2(Personas.admin()).when().delete("/api/v1/organizations/" + orgB).then().statusCode(204);
        assertThat(IdentityStandIn.PASSKEY_REQUIRED).doesNotContain(10002L);
    }

    @Test
    void theRequirementIsChangedOnlyIfIdentityServiceRecordsIt() {
        long org = createUnder(Personas.mary(), 20003);
        long member = newMember(org);
        IdentityStandIn.FAIL_PASSKEY_REQUIREMENTS_WITH.set(503);
        try {
            setRequirePasskey(Personas.admin(), org, true).then().statusCode(503);
            given().auth().oauth2(Personas.admin()).when().get("/api/v1/organizations/" + org)
                    .then().statusCode(200).body("requirePasskey", equalTo(false));
            assertThat(IdentityStandIn.PASSKEY_REQUIRED).doesNotContain(member);
        } finally {
            IdentityStandIn.FAIL_PASSKEY_REQUIREMENTS_WITH.set(null);
        }
        setRequirePasskey(Personas.admin(), org, true).then().statusCode(200);
        IdentityStandIn.FAIL_PASSKEY_REQUIREMENTS_WITH.set(500);
        long account = IdentityStandIn.createAccount("late-" + UUID.randomUUID() + "@example.org", "practitioner");
        try {
            given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                    .body(Map.of("jheUserId", account, "organizationPartitionerRole", "member"))
                    .when().post("/api/v1/organizations/" + org + "/user")
                    .then().statusCode(503);
        } finally {
            IdentityStandIn.FAIL_PASSKEY_REQUIREMENTS_WITH.set(null);
        }
        List<Integer> ids = given().auth().oauth2(Personas.admin()).when()
                .get("/api/v1/organizations/" + org + "/users").then().statusCode(200).extract().path("id");
        assertThat(ids).doesNotContain((int) account);
        assertThat(IdentityStandIn.PASSKEY_REQUIRED).doesNotContain(account);
    }

    @Test
    void onlyASuperuserCreatesAnOrganizationThatRequiresPasskeysAndTheValueMustBeABoolean() {
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("name", unique("Team"), "type", "team", "partOf", 20003, "requirePasskey", true))
                .when().post("/api/v1/organizations")
                .then().statusCode(403).body("detail", equalTo(OrganizationService.PASSKEY_REFUSED));
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("name", unique("Team"), "type", "team", "partOf", 20003, "requirePasskey", false))
                .when().post("/api/v1/organizations")
                .then().statusCode(201).body("requirePasskey", equalTo(false));
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", unique("Clinic"), "type", "other", "requirePasskey", true))
                .when().post("/api/v1/organizations")
                .then().statusCode(201).body("requirePasskey", equalTo(true));
        setRequirePasskey(Personas.admin(), 20003, "yes").then().statusCode(400)
                .body("errors.requirePasskey", notNullValue());
        // listed inside a practitioner, an organization does not carry it
        given().auth().oauth2(Personas.admin()).when().get("/api/v1/practitioners/80001")
                .then().statusCode(200).body("organizations[0]", not(hasKey("requirePasskey")))
                .body("organizations[0].id", notNullValue());
    }

}
