package org.jupyterhealth.exchange.admin.user;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.Fixtures;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.Personas;
import org.jupyterhealth.exchange.common.testing.TestTokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class UserResourceTest {

    @Test
    void profileDescribesThePractitionerBehindTheToken() {
        given().auth().oauth2(TestTokens.practitioner(10002, "manager_mary@example.com"))
                .when().get("/api/v1/users/profile")
                .then().statusCode(200)
                .body("id", equalTo(10002))
                .body("email", equalTo("manager_mary@example.com"))
                .body("userType", equalTo("practitioner"))
                .body("isSuperuser", equalTo(false))
                .body("patient", nullValue());
    }

    @Test
    void profileAnswersWithATrailingSlashToo() {
        given().auth().oauth2(TestTokens.superuser(10001, "admin@example.com"))
                .when().get("/api/v1/users/profile/")
                .then().statusCode(200)
                .body("id", equalTo(10001))
                .body("isSuperuser", equalTo(true))
                .body("userType", nullValue());
    }

    @Test
    void profileWithoutATokenIs401() {
        given()
                .when().get("/api/v1/users/profile")
                .then().statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"api\"")
                .body("detail", equalTo("Authentication credentials were not provided."));
    }

    @Test
    void patientProfileHasExactlyTheOriginalsPhiFreeKeys() {
        Map<String, Object> profile = given().auth().oauth2(Personas.peter())
                .when().get("/api/v1/users/profile")
                .then().statusCode(200).extract().as(Map.class);
        assertThat(profile).containsOnlyKeys("id", "patient", "userType", "isSuperuser");
        assertThat((Map<String, Object>) profile.get("patient"))
                .containsOnlyKeys("id", "jheUserId", "identifiers", "organizations");
        assertThat(profile.toString()).doesNotContain("Park").doesNotContain("1984");
    }

    @Test
    void practitionerProfileHasTheOriginalsFieldsAndTheGuidesPractitionerObject() {
        given().auth().oauth2(Personas.tom()).when().get("/api/v1/users/profile")
                .then().statusCode(200)
                .body("firstName", equalTo("Tom"))
                .body("lastName", equalTo("Tanaka"))
                .body("settings", hasKey("currentOrganizationId"))
                .body("practitioner.id", equalTo(80004))
                .body("practitioner.organizations.id", contains(20008, 20003, 20007));
        given().auth().oauth2(Personas.tom()).when().get("/api/v1/users/organizations")
                .then().statusCode(200).body("size()", equalTo(3));
    }

    @Test
    void usersListShowsOnlyWhatTheCallerMaySee() {
        given().auth().oauth2(Personas.peter()).when().get("/api/v1/users")
                .then().statusCode(200).body("count", equalTo(1)).body("results[0].id", equalTo(10006))
                .body("results[0].patient.id", equalTo(40001));
        given().auth().oauth2(Personas.victor()).when().get("/api/v1/users?page_size=100")
                .then().statusCode(200)
                .body("results.id", hasItems(10002, 10003, 10005, 10006, 10007))
                .body("results.id", not(hasItem(10011)));
        given().auth().oauth2(Personas.admin()).when().get("/api/v1/users?email=CCL_CARDIO_PATIENT_PAT@example.com")
                .then().statusCode(200).body("count", equalTo(1)).body("results[0].patient", nullValue());
        given().auth().oauth2(Personas.victor()).when().get("/api/v1/users/10011").then().statusCode(403);
        given().auth().oauth2(Personas.victor()).when().get("/api/v1/users/10004")
                .then().statusCode(200).body("email", equalTo("viewer_victor@example.com"));
    }

    @Test
    void searchByEmailFindsAccountsForPractitionersAndOnlyThemselvesForPatients() {
        given().auth().oauth2(Personas.mark()).when().get("/api/v1/users/search_by_email?email=member_megan@example.com")
                .then().statusCode(200).body("id", equalTo(10003));
        given().auth().oauth2(Personas.peter())
                .when().get("/api/v1/users/search_by_email?email=member_megan@example.com")
                .then().statusCode(200).body("id", nullValue());
    }

    @Test
    void usersRenameThemselvesAndOnlyASuperuserDeletesAccounts() {
        long id = IdentityStandIn.createAccount(Fixtures.unique("user") + "@example.org", "practitioner");
        given().auth().oauth2(Personas.megan()).contentType(ContentType.JSON)
                .body(Map.of("firstName", "X")).when().patch("/api/v1/users/" + id).then().statusCode(403);
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("first_name", "Renamed")).when().patch("/api/v1/users/" + id)
                .then().statusCode(200).body("firstName", equalTo("Renamed"));
        given().auth().oauth2(Personas.mary()).when().delete("/api/v1/users/" + id).then().statusCode(403);
        given().auth().oauth2(Personas.admin()).when().delete("/api/v1/users/" + id).then().statusCode(204);
        assertThat(IdentityStandIn.ACCOUNTS).doesNotContainKey(id);
    }

    @Test
    void deletingAnAccountNobodyKnowsIs404() {
        given().auth().oauth2(Personas.admin()).when().delete("/api/v1/users/999999")
                .then().statusCode(404).body("detail", equalTo("No user matches the given query."));
        long id = IdentityStandIn.createAccount(Fixtures.unique("gone") + "@example.org", "patient");
        given().auth().oauth2(Personas.admin()).when().delete("/api/v1/users/" + id).then().statusCode(204);
        given().auth().oauth2(Personas.admin()).when().delete("/api/v1/users/" + id).then().statusCode(404);
    }

    @Test
    void anOutageOfIdentityServiceIs503NotA500() {
        IdentityStandIn.FAIL_WITH.set(503);
        try {
            given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                    .body(Map.of("organizationId", 20003, "telecomEmail",
                            Fixtures.unique("outage") + "@example.org"))
                    .when().post("/api/v1/patients")
                    .then().statusCode(503).body("detail", notNullValue());
        } finally {
            IdentityStandIn.FAIL_WITH.set(null);
        }
    }
}
