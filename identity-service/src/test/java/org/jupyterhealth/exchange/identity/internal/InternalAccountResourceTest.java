package org.jupyterhealth.exchange.identity.internal;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.identity.support.IdentityFixtures;
import org.jupyterhealth.exchange.identity.support.Tokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** {@code /internal/accounts}: admin-service creates, reads, changes and deletes accounts (internal-api.md). */
@QuarkusTest
class InternalAccountResourceTest {

    @Inject
    IdentityFixtures fixtures;
    @Inject
    Pool pool;

    private static RequestSpecification asService() {
        return given().auth().oauth2(Tokens.serviceToken()).contentType("application/json");
    }

    @Test
    void createsAnAccountOnceAndFindsItAgainByEmailInAnyCase() {
        int id = asService()
                .body(Map.of("email", "new.patient@example.com", "firstName", "Nia", "lastName", "Ngata",
                        "userType", "patient"))
                .when().post("/internal/accounts")
                .then().statusCode(201)
                .body("email", equalTo("new.patient@example.com"))
                .body("firstName", equalTo("Nia"))
                .body("lastName", equalTo("Ngata"))
                .body("userType", equalTo("patient"))
                .body("isSuperuser", equalTo(false))
                .extract().path("id");

        asService().body(Map.of("email", "New.Patient@EXAMPLE.com"))
                .when().post("/internal/accounts")
                .then().statusCode(200).body("id", equalTo(id)).body("firstName", equalTo("Nia"));

        asService().when().get("/internal/accounts/" + id)
                .then().statusCode(200).body("email", equalTo("new.patient@example.com"));
    }

    @Test
    void refusesAnInvalidEmailWithTheFieldNamed() {
        asService().body(Map.of("email", "not-an-email"))
                .when().post("/internal/accounts")
                .then().statusCode(400)
                .body("detail", equalTo("Enter a valid email address."))
                .body("errors", hasKey("email"));
    }

    @Test
    void refusesAnUnknownUserType() {
        asService().body(Map.of("email", "typed@example.com", "userType", "admin"))
                .when().post("/internal/accounts")
                .then().statusCode(400).body("errors", hasKey("userType"));
    }

    @Test
    void refusesABodyThatIsNotJson() {
        given().auth().oauth2(Tokens.serviceToken()).contentType("application/json").body("{not json")
                .when().post("/internal/accounts")
                .then().statusCode(400).body("detail", equalTo("JSON parse error."));
    }

    @Test
    void refusesTrailingContentAfterTheBodyAndCreatesNothing() {
        asService().body("{\"email\": \"trailing.garbage@example.com\"} {\"email\": \"x@example.com\"}")
                .when().post("/internal/accounts")
                .then().statusCode(400).body("detail", equalTo("The body must be one JSON object."));
        asService().body("{\"email\": \"trailing.garbage@example.com\"} garbage")
                .when().post("/internal/accounts")
                .then().statusCode(400);

        asService().body(Map.of("email", "trailing.garbage@example.com"))
                .when().post("/internal/accounts")
                .then().statusCode(201);
    }

    @Test
    void refusesAControlCharacterInAnyStringNamingTheField() {
        asService().body(Map.of("email", "nul\u0000byte@example.com"))
                .when().post("/internal/accounts")
                .then().statusCode(400)
                .body("errors.email[0]", equalTo("Must not contain control characters."));
        asService().body(Map.of("email", "control.first@example.com", "firstName", "Ni\u0007a"))
                .when().post("/internal/accounts")
                .then().statusCode(400).body("errors", hasKey("firstName"));
        long id = fixtures.practitioner("control.patch@example.com", true);
        asService().body(Map.of("lastName", "Ng\u0000ata"))
                .when().patch("/internal/accounts/" + id)
                .then().statusCode(400).body("errors", hasKey("lastName"));
    }

    @Test
    void refusesValuesOfTheWrongTypeNamingTheField() {
        asService().body("{\"email\": 42}")
                .when().post("/internal/accounts")
                .then().statusCode(400).body("errors.email[0]", equalTo("Must be a string."));
        asService().body("{\"email\": [\"listed@example.com\"]}")
                .when().post("/internal/accounts")
                .then().statusCode(400).body("errors", hasKey("email"));
        asService().body("{\"email\": \"typed.name@example.com\", \"firstName\": {\"given\": \"Nia\"}}")
                .when().post("/internal/accounts")
                .then().statusCode(400).body("errors", hasKey("firstName"));
        asService().body("[]")
                .when().post("/internal/accounts")
                .then().statusCode(400).body("detail", equalTo("The body must be one JSON object."));
    }

    @Test
    void refusesOversizedStringsNamingTheField() {
        asService().body(Map.of("email", "a".repeat(5000) + "@example.com"))
                .when().post("/internal/accounts")
                .then().statusCode(400).body("errors", hasKey("email"));
        asService().body(Map.of("email", "long.type@example.com", "userType", "p".repeat(100_000)))
                .when().post("/internal/accounts")
                .then().statusCode(400).body("errors", hasKey("userType"));
    }

    @Test
    void answers404ForAnUnknownAccount() {
        asService().when().get("/internal/accounts/99999999")
                .then().statusCode(404).body("detail", equalTo("Not found."));
    }

    @Test
    void changesNamesAndTypeLeavingTheRestAlone() {
        long id = fixtures.practitioner("rename.me@example.com", true);

        asService().body(Map.of("lastName", "Renamed"))
                .when().patch("/internal/accounts/" + id)
                .then().statusCode(200)
                .body("lastName", equalTo("Renamed"))
                .body("firstName", equalTo("Test"))
                .body("userType", equalTo("practitioner"));
    }

    @Test
    void deletingAnAccountRevokesItsTokens() {
        long id = fixtures.practitioner("delete.me@example.com", true);
        fixtures.publicClient("delete-app", "password refresh_token");
        String access = Tokens.password("delete-app", "delete.me@example.com").getString("access_token");

        asService().when().delete("/internal/accounts/" + id).then().statusCode(204);

        asService().when().get("/internal/accounts/" + id).then().statusCode(404);
        UUID jti = UUID.fromString(Tokens.claims(access).getString("jti"));
        assertThat(pool.preparedQuery("SELECT revoked_at IS NOT NULL AS r FROM identity.access_token WHERE jti = $1")
                .execute(Tuple.of(jti)).await().indefinitely().iterator().next().getBoolean("r")).isTrue();
    }

    @Test
    void deletingAnUnknownAccountIs404() {
        asService().when().delete("/internal/accounts/99999998").then().statusCode(404);
    }

    @Test
    void refusesAUsersTokenWhateverTheUser() {
        fixtures.practitioner("not.a.service@example.com", true);
        fixtures.publicClient("user-app", "password");
        String userToken = Tokens.password("user-app", "not.a.service@example.com").getString("access_token");

        given().auth().oauth2(userToken).contentType("application/json").body(Map.of("email", "x@example.com"))
                .when().post("/internal/accounts")
                .then().statusCode(403)
                .body("detail", equalTo("You do not have permission to perform this action."));
    }

    @Test
    void refusesACallWithoutAToken() {
        given().contentType("application/json").body(Map.of("email", "x@example.com"))
                .when().post("/internal/accounts")
                .then().statusCode(401)
                .body("detail", equalTo("Authentication credentials were not provided."));
    }

    @Test
    void refusesATokenItDidNotSign() {
        given().auth().oauth2("eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbi1zZXJ2aWNlIn0.")
                .when().get("/internal/accounts/1")
                .then().statusCode(401);
    }
}
