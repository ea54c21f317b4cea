package org.jupyterhealth.exchange.identity.internal;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.identity.support.Activations;
import org.jupyterhealth.exchange.identity.support.IdentityFixtures;
import org.jupyterhealth.exchange.identity.support.Tokens;
import org.jupyterhealth.exchange.identity.token.RandomTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** {@code /internal/accounts}: admin-service creates, reads, changes and deletes accounts (docs/internal-api.md). */
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
    void deletingTwiceChangesNothingTheSecondTime() {
        long id = fixtures.practitioner("delete.twice@example.com", true);

        asService().when().delete("/internal/accounts/" + id).then().statusCode(204);
        asService().when().delete("/internal/accounts/" + id).then().statusCode(404);
    }

    private static int register(String email, int status, boolean created) {
        return asService().body(Map.of("email", email, "userType", "patient"))
                .when().post("/internal/accounts")
                .then().statusCode(status).body("created", equalTo(created))
                .extract().path("id");
    }

    @Test
    void undoingACreationDeletesTheAccountNobodyUsedAndARepeatChangesNothing() {
        int id = register("undo.unused@example.com", 201, true);

        asService().when().delete("/internal/accounts/" + id + "?onlyIfUnused=true").then().statusCode(204);

        asService().when().get("/internal/accounts/" + id).then().statusCode(404);
        asService().when().delete("/internal/accounts/" + id + "?onlyIfUnused=true").then().statusCode(404);
        register("undo.unused@example.com", 201, true);
    }

    @Test
    void undoingACreationLeavesAnAccountThatAnotherRegistrationFound() {
        int id = register("undo.shared@example.com", 201, true);
        register("Undo.Shared@example.com", 200, false);

        asService().when().delete("/internal/accounts/" + id + "?onlyIfUnused=true")
                .then().statusCode(409).body("detail", equalTo("The account is in use; it was not deleted."));

        asService().when().get("/internal/accounts/" + id).then().statusCode(200);
    }

    @Test
    void undoingACreationLeavesAnAccountThatSignedInOrWasInvited() {
        long signedIn = fixtures.practitioner("undo.signed.in@example.com", true);
        fixtures.publicClient("undo-app", "password authorization_code");
        Tokens.password("undo-app", "undo.signed.in@example.com");
        int invited = register("undo.invited@example.com", 201, true);
        asService().body(Map.of("userId", invited, "clientId", fixtures.clientPk("undo-app"),
                "codeChallenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"))
                .when().post("/internal/authorization-codes").then().statusCode(201);

        asService().when().delete("/internal/accounts/" + signedIn + "?onlyIfUnused=true").then().statusCode(409);
        asService().when().delete("/internal/accounts/" + invited + "?onlyIfUnused=true").then().statusCode(409);

        asService().when().get("/internal/accounts/" + signedIn).then().statusCode(200);
        asService().when().get("/internal/accounts/" + invited).then().statusCode(200);
    }

    @Test
    void concurrentRegistrationsOfOneEmailGiveOneAccount() throws Exception {
        int callers = 8;
        ExecutorService executor = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<ExtractableResponse<Response>>> answers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                // the same address in a different case each time: one account whatever the case
                String email = i % 2 == 0 ? "race.patient@example.com" : "Race.Patient@Example.com";
                answers.add(executor.submit(() -> {
                    start.await();
                    return asService().body(Map.of("email", email, "userType", "patient"))
                            .when().post("/internal/accounts")
                            .then().extract();
                }));
            }

            start.countDown();

            List<ExtractableResponse<Response>> responses = new ArrayList<>();
            for (Future<ExtractableResponse<Response>> answer : answers) {
                responses.add(answer.get(60, TimeUnit.SECONDS));
            }
            List<Integer> statuses = responses.stream().map(ExtractableResponse::statusCode).toList();
            assertThat(statuses).containsOnly(201, 200);
            assertThat(statuses).filteredOn(status -> status == 201).hasSize(1);
            assertThat(responses).filteredOn(response -> response.jsonPath().getBoolean("created")).hasSize(1);
            assertThat(responses.stream().map(response -> response.jsonPath().getLong("id")).distinct()).hasSize(1);
        } finally {
            executor.shutdownNow();
        }
        assertThat(pool.preparedQuery("SELECT count(*) FROM identity.jhe_user WHERE lower(email) = $1")
                .execute(Tuple.of("race.patient@example.com")).await().indefinitely().iterator().next().getLong(0))
                .isEqualTo(1);
    }

    @Test
    void issuesAnActivationLinkUnderThePublicUrlThatWorksForThreeDaysAndIsStoredOnlyAsItsHash() {
        long id = Activations.accountWithoutPassword("activation.link@example.com");

        Response answer = Activations.requestLink(id);

        answer.then().statusCode(201)
                .body("link", matchesPattern("http://localhost:8000/o/activate\\?token=[A-Za-z0-9_-]{43}"));
        String token = Activations.tokenOf(answer.path("link"));
        Instant expiresAt = Instant.parse(answer.path("expiresAt"));
        assertThat(Duration.between(Instant.now(), expiresAt)).isBetween(Duration.ofDays(3).minusMinutes(1),
                Duration.ofDays(3));
        var stored = pool.preparedQuery("SELECT token_hash, purpose FROM identity.account_token WHERE user_id = $1")
                .execute(Tuple.of(id)).await().indefinitely().iterator().next();
        assertThat(stored.getString("token_hash")).isEqualTo(RandomTokens.sha256Hex(token)).doesNotContain(token);
        assertThat(stored.getString("purpose")).isEqualTo("activation");
    }

    @Test
    void aNewActivationLinkEndsTheEarlierOne() {
        long id = Activations.accountWithoutPassword("activation.again@example.com");
        String first = Activations.issueToken(id);

        String second = Activations.issueToken(id);

        assertThat(second).isNotEqualTo(first);
        given().queryParam("token", first).when().get("/o/activate").then().statusCode(410);
        given().queryParam("token", second).when().get("/o/activate").then().statusCode(200);
    }

    @Test
    void refusesAnActivationLinkForAnUnknownAccountOrOneWithAPassword() {
        long withPassword = fixtures.practitioner("activation.has.password@example.com", true);

        Activations.requestLink(99999997).then().statusCode(404).body("detail", equalTo("Not found."));
        Activations.requestLink(withPassword).then().statusCode(409)
                .body("detail", equalTo("The account is already active."));

        assertThat(pool.preparedQuery("SELECT count(*) FROM identity.account_token WHERE user_id = $1")
                .execute(Tuple.of(withPassword)).await().indefinitely().iterator().next().getLong(0)).isZero();
    }

    @Test
    void refusesAnActivationLinkToAUserOrWithoutAToken() {
        long id = Activations.accountWithoutPassword("activation.not.a.service@example.com");
        fixtures.practitioner("activation.user@example.com", true);
        fixtures.publicClient("activation-user-app", "password");
        String userToken = Tokens.password("activation-user-app", "activation.user@example.com")
                .getString("access_token");

        given().auth().oauth2(userToken).when().post("/internal/accounts/" + id + "/activation")
                .then().statusCode(403);
        given().when().post("/internal/accounts/" + id + "/activation").then().statusCode(401);
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
