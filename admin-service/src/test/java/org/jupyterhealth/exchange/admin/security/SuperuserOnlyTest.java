package org.jupyterhealth.exchange.admin.security;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.Personas;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Superuser-only writes refuse anyone else with 403 whatever the body: a malformed or ill-typed body is judged only
 * for a superuser (400), so that the answer never depends on the body of a caller without the right.
 */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class SuperuserOnlyTest {
    /** An existing setting (seeded), data source and practitioner the writes below would change. */
    private static final String SETTING = "/api/v1/jhe_settings/1";
    private static final String DATA_SOURCE = "/api/v1/data_sources/70001";
    private static final String PRACTITIONER = "/api/v1/practitioners/80001";

    private record Write(String method, String path) {
    }

    private static final List<Write> WRITES = List.of(
            new Write("POST", "/api/v1/jhe_settings"), new Write("PUT", SETTING), new Write("PATCH", SETTING),
            new Write("POST", "/api/v1/data_sources"), new Write("PUT", DATA_SOURCE), new Write("PATCH", DATA_SOURCE),
            new Write("POST", DATA_SOURCE + "/supported_scopes"),
            new Write("DELETE", DATA_SOURCE + "/supported_scopes"),
            new Write("POST", "/api/v1/practitioners"), new Write("PUT", PRACTITIONER),
            new Write("PATCH", PRACTITIONER),
            new Write("POST", "/api/v1/users"));

    /** Not JSON; JSON that is not an object; an object whose fields have the wrong types. */
    private static final List<String> BAD_BODIES = List.of("{\"key\": ", "[1, 2]",
            "{\"key\": 7, \"name\": [], \"telecomEmail\": {}, \"email\": 1, \"scopeCodeId\": \"x\", \"value\": null}");

    @Test
    void aNonSuperuserIsRefusedBeforeItsBodyIsRead() {
        for (String token : List.of(Personas.mary(), Personas.victor(), Personas.peter())) {
            for (Write write : WRITES) {
                for (String body : BAD_BODIES) {
                    given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                            .when().request(write.method(), write.path())
                            .then().statusCode(403)
                            .body("detail", equalTo("You do not have permission to perform this action."));
                }
            }
        }
    }

    @Test
    void aSuperusersMalformedBodyIsStillA400() {
        for (Write write : WRITES) {
            for (String body : BAD_BODIES) {
                given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON).body(body)
                        .when().request(write.method(), write.path())
                        .then().statusCode(400);
            }
        }
    }

    @Test
    void anAnonymousCallerIsStillA401AndAPathThatIsNoResourceStillA404() {
        for (Write write : WRITES) {
            given().contentType(ContentType.JSON).body("{\"key\": ")
                    .when().request(write.method(), write.path())
                    .then().statusCode(401);
        }
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body("{\"key\": ")
                .when().put("/api/v1/jhe_settings/07")
                .then().statusCode(404);
    }

    @Test
    void aServiceTokenIsRefusedOnTheUserApi() {
        given().auth().oauth2(Personas.service("fhir-service")).contentType(ContentType.JSON).body("{\"key\": ")
                .when().post("/api/v1/jhe_settings")
                .then().statusCode(403);
    }
}
