package org.jupyterhealth.exchange.identity.internal;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.jupyterhealth.exchange.identity.support.Tokens.form;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.identity.support.IdentityFixtures;
import org.jupyterhealth.exchange.identity.support.Tokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** {@code /internal/clients}: patient apps and practitioners' automation clients (docs/internal-api.md). */
@QuarkusTest
class InternalClientResourceTest {

    @Inject
    IdentityFixtures fixtures;

    private static RequestSpecification asService() {
        return given().auth().oauth2(Tokens.serviceToken()).contentType("application/json");
    }

    private static Map<String, Object> patientApp(String clientId) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Patient App " + clientId);
        body.put("clientId", clientId);
        body.put("clientType", "public");
        body.put("grantTypes", List.of("authorization_code", "refresh_token"));
        body.put("redirectUris", List.of("https://app.example.org/auth/callback"));
        body.put("invitationUrl", "https://app.example.org/invite?code=CODE");
        return body;
    }

    @Test
    void createsAnAutomationClientWhoseSecretIsShownOnceAndWhichActsAsItsOwner() {
        long owner = fixtures.practitioner("robot.owner@example.com", true);

        JsonPath created = asService()
                .body(Map.of("name", "_practitioner_client_1", "clientType", "confidential",
                        "grantTypes", List.of("client_credentials"), "ownerUserId", owner))
                .when().post("/internal/clients")
                .then().statusCode(201)
                .body("clientType", equalTo("confidential"))
                .body("grantTypes", equalTo(List.of("client_credentials")))
                .body("ownerUserId", equalTo((int) owner))
                .extract().jsonPath();
        String clientId = created.getString("clientId");
        String secret = created.getString("clientSecret");
        assertThat(clientId).matches("[A-Za-z0-9]{16}");
        assertThat(secret).hasSize(32);

        asService().when().get("/internal/clients/" + created.getLong("id"))
                .then().statusCode(200).body("$", not(hasKey("clientSecret")));
        String token = form().auth().preemptive().basic(clientId, secret)
                .formParam("grant_type", "client_credentials")
                .when().post("/o/token/")
                .then().statusCode(200).extract().path("access_token");
        assertThat(Tokens.claims(token).getString("sub")).isEqualTo(Long.toString(owner));
    }

    @Test
    void createsAPublicPatientAppWithoutASecretAndListsItById() {
        int id = asService().body(patientApp("patient-app-one"))
                .when().post("/internal/clients")
                .then().statusCode(201)
                .body("clientId", equalTo("patient-app-one"))
                .body("clientSecret", nullValue())
                .body("redirectUris", equalTo(List.of("https://app.example.org/auth/callback")))
                .body("invitationUrl", equalTo("https://app.example.org/invite?code=CODE"))
                .extract().path("id");

        asService().queryParam("ids", id + ",99999999")
                .when().get("/internal/clients")
                .then().statusCode(200)
                .body("$", hasSize(1))
                .body("[0].clientId", equalTo("patient-app-one"));
    }

    @Test
    void refusesAClientIdAlreadyTakenOrReservedForAService() {
        asService().body(patientApp("patient-app-twice")).when().post("/internal/clients").then().statusCode(201);

        asService().body(patientApp("patient-app-twice")).when().post("/internal/clients")
                .then().statusCode(409).body("detail", equalTo("A client with this clientId exists."));
        asService().body(patientApp("admin-service")).when().post("/internal/clients")
                .then().statusCode(409);
    }

    @Test
    void refusesInvalidClients() {
        Map<String, Object> noName = patientApp("x1");
        noName.remove("name");
        asService().body(noName).when().post("/internal/clients").then().statusCode(400).body("errors", hasKey("name"));

        Map<String, Object> publicRobot = patientApp("x2");
        publicRobot.put("grantTypes", List.of("client_credentials"));
        asService().body(publicRobot).when().post("/internal/clients").then().statusCode(400)
                .body("errors", hasKey("grantTypes"));

        Map<String, Object> noRedirect = patientApp("x3");
        noRedirect.put("redirectUris", List.of());
        asService().body(noRedirect).when().post("/internal/clients").then().statusCode(400)
                .body("errors", hasKey("redirectUris"));

        Map<String, Object> fragment = patientApp("x4");
        fragment.put("redirectUris", List.of("https://app.example.org/cb#frag"));
        asService().body(fragment).when().post("/internal/clients").then().statusCode(400);

        Map<String, Object> badType = patientApp("x5");
        badType.put("clientType", "secret");
        asService().body(badType).when().post("/internal/clients").then().statusCode(400)
                .body("errors", hasKey("clientType"));

        asService().body(Map.of("name", "r", "clientType", "confidential", "grantTypes",
                List.of("client_credentials"), "ownerUserId", 99999999))
                .when().post("/internal/clients").then().statusCode(400).body("errors", hasKey("ownerUserId"));
    }

    @Test
    void refusesControlCharactersAndWrongTypesNamingTheField() {
        Map<String, Object> nulName = patientApp("x6");
        nulName.put("name", "Patient\u0000App");
        asService().body(nulName).when().post("/internal/clients").then().statusCode(400)
                .body("errors.name[0]", equalTo("Must not contain control characters."));

        Map<String, Object> controlUri = patientApp("x7");
        controlUri.put("redirectUris", List.of("https://app.example.org/cb", "https://app.example.org/\u0001"));
        asService().body(controlUri).when().post("/internal/clients").then().statusCode(400)
                .body("errors", hasKey("redirectUris"));

        Map<String, Object> nulInvitation = patientApp("x8");
        nulInvitation.put("invitationUrl", "https://app.example.org/invite\u0000");
        asService().body(nulInvitation).when().post("/internal/clients").then().statusCode(400)
                .body("errors", hasKey("invitationUrl"));

        Map<String, Object> grantsAsText = patientApp("x9");
        grantsAsText.put("grantTypes", "authorization_code");
        asService().body(grantsAsText).when().post("/internal/clients").then().statusCode(400)
                .body("errors.grantTypes[0]", equalTo("Must be a list."));

        asService().body(Map.of("name", "r", "clientType", "confidential", "grantTypes",
                List.of("client_credentials"), "ownerUserId", "10001"))
                .when().post("/internal/clients").then().statusCode(400)
                .body("errors.ownerUserId[0]", equalTo("Must be an integer."));

        int id = asService().body(patientApp("patient-app-control")).when().post("/internal/clients")
                .then().statusCode(201).extract().path("id");
        asService().body(Map.of("name", "Re\u0000named")).when().patch("/internal/clients/" + id)
                .then().statusCode(400).body("errors", hasKey("name"));
    }

    @Test
    void renamesAClientAndChangesItsInvitationLink() {
        int id = asService().body(patientApp("patient-app-rename")).when().post("/internal/clients")
                .then().statusCode(201).extract().path("id");

        asService().body(Map.of("name", "Renamed", "invitationUrl", "https://other.example/i/CODE"))
                .when().patch("/internal/clients/" + id)
                .then().statusCode(200)
                .body("name", equalTo("Renamed"))
                .body("invitationUrl", equalTo("https://other.example/i/CODE"))
                .body("clientId", equalTo("patient-app-rename"));
    }

    @Test
    void deletingAClientRevokesTheTokensIssuedToIt() {
        long owner = fixtures.practitioner("robot.deleted@example.com", true);
        JsonPath created = asService()
                .body(Map.of("name", "doomed", "clientType", "confidential",
                        "grantTypes", List.of("client_credentials"), "ownerUserId", owner))
                .when().post("/internal/clients").then().statusCode(201).extract().jsonPath();
        String token = form().auth().preemptive().basic(created.getString("clientId"), created.getString("clientSecret"))
                .formParam("grant_type", "client_credentials")
                .when().post("/o/token/").then().statusCode(200).extract().path("access_token");

        asService().when().delete("/internal/clients/" + created.getLong("id")).then().statusCode(204);

        asService().when().get("/internal/clients/" + created.getLong("id")).then().statusCode(404);
        given().auth().oauth2(token).when().get("/o/userinfo").then().statusCode(401);
    }

    @Test
    void theServicesOwnClientsAreNeitherVisibleNorChangeable() {
        long adminServicePk = fixtures.clientPk("admin-service");

        asService().when().get("/internal/clients/" + adminServicePk).then().statusCode(404);
        asService().when().delete("/internal/clients/" + adminServicePk).then().statusCode(404);
        asService().queryParam("ids", adminServicePk).when().get("/internal/clients")
                .then().statusCode(200).body("$", hasSize(0));
    }

    @Test
    void refusesAUsersToken() {
        fixtures.practitioner("client.user@example.com", true);
        fixtures.publicClient("client-user-app", "password");
        String userToken = Tokens.password("client-user-app", "client.user@example.com").getString("access_token");

        given().auth().oauth2(userToken).when().get("/internal/clients/1").then().statusCode(403);
    }

    @Test
    void concurrentRegistrationsOfOneClientIdStoreOneClient() throws Exception {
        int callers = 6;
        ExecutorService executor = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        List<Integer> statuses = new ArrayList<>();
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                answers.add(executor.submit(() -> {
                    start.await();
                    return asService().body(patientApp("race-app"))
                            .when().post("/internal/clients")
                            .then().extract().statusCode();
                }));
            }

            start.countDown();

            for (Future<Integer> answer : answers) {
                statuses.add(answer.get(60, TimeUnit.SECONDS));
            }
        } finally {
            executor.shutdownNow();
        }
        assertThat(statuses).containsOnly(201, 409);
        assertThat(statuses).filteredOn(status -> status == 201).hasSize(1);
    }
}
