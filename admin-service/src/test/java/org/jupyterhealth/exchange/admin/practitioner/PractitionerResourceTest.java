package org.jupyterhealth.exchange.admin.practitioner;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.Fixtures;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.Personas;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class PractitionerResourceTest {

    private static Number practitioner(String email) {
        return given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("telecomEmail", email, "nameFamily", "Before"))
                .when().post("/api/v1/practitioners")
                .then().statusCode(201).extract().path("id");
    }

    @Test
    void anOrganizationIdThatIsNotAnIdOrOfNoOrganizationChangesNothing() {
        String email = Fixtures.unique("prac") + "@example.org";
        Number id = practitioner(email);
        for (String method : new String[] { "PUT", "PATCH" }) {
            for (Object bad : new Object[] { "abc", true, 1.5, -3, Map.of("id", 20003) }) {
                given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                        .body(Map.of("telecomEmail", email, "nameFamily", "After", "organizationId", bad))
                        .when().request(method, "/api/v1/practitioners/" + id)
                        .then().statusCode(400).body("errors", hasKey("organizationId"));
            }
            given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                    .body(Map.of("telecomEmail", email, "nameFamily", "After", "organizationId", 999999))
                    .when().request(method, "/api/v1/practitioners/" + id)
                    .then().statusCode(404).body("detail", equalTo("No Organization matches the given query."));
        }
        given().auth().oauth2(Personas.admin()).when().get("/api/v1/practitioners/" + id)
                .then().statusCode(200).body("nameFamily", equalTo("Before")).body("organizations.size()", equalTo(0));
    }

    @Test
    void anOrganizationIdInAnUpdateMakesThePractitionerAMemberAsOnCreate() {
        String email = Fixtures.unique("prac") + "@example.org";
        Number id = practitioner(email);
        long org = Fixtures.organization();
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("nameGiven", "Pat", "organization_id", String.valueOf(org)))
                .when().patch("/api/v1/practitioners/" + id)
                .then().statusCode(200)
                .body("nameGiven", equalTo("Pat")).body("nameFamily", equalTo("Before"))
                .body("organizations.id", contains((int) org)).body("organizations[0].currentUserRole",
                        equalTo("member"));
        // a second time changes nothing (the role in the organization stays what it is)
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("telecomEmail", email, "organizationId", org))
                .when().put("/api/v1/practitioners/" + id)
                .then().statusCode(200).body("organizations.id", contains((int) org));
    }
}
