package org.jupyterhealth.exchange.admin.practitioner;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.Fixtures;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.Personas;
import org.jupyterhealth.exchange.admin.support.TestDatabase;
import org.jupyterhealth.exchange.common.testing.LogCapture;
import org.jupyterhealth.exchange.common.testing.TestMailServer.Received;
import org.jupyterhealth.exchange.common.testing.TestMailServer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * Staff activation (docs/architecture.md#e-mail), the e-mails read back from the real test mail server: a new
 * practitioner or user receives, once, the one-time link identity-service issued for its new account, and the answer
 * does not carry it; an existing account, a patient's, and an activation identity-service cannot issue get none (the
 * last one a 503 that leaves no record and no account behind). A superuser sends a new link on demand;
 * identity-service's refusal of an active account is passed on. Neither the link nor its token reaches a log line.
 */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class ActivationMailTest {
    static final String SUBJECT = "Activate your JupyterHealth Exchange account";
    static final String UNAVAILABLE = "The account service is unavailable; try again later.";
    private static final DateTimeFormatter EXPIRY = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'",
            Locale.ENGLISH).withZone(ZoneOffset.UTC);

    @AfterEach
    void identityServiceIssuesAgain() {
        IdentityStandIn.FAIL_ACTIVATION_WITH.set(null);
    }

    /** A practitioner created by the superuser: the 201's body. */
    static ExtractableResponse<Response> createPractitioner(Map<String, Object> body) {
        return given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/practitioners")
                .then().statusCode(201).extract();
    }

    static long accountOf(ExtractableResponse<Response> practitioner) {
        return ((Number) practitioner.path("jheUserId")).longValue();
    }

    static long queuedFor(String email) {
        return TestDatabase.number("SELECT count(*) FROM admin.mail_outbox WHERE recipient = '" + email + "'");
    }

    /** The messages the address received, once there are {@code count} and none waits in the outbox. */
    static List<Received> messagesOnceThereAre(String email, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> TestMailServer.messagesTo(email).size() == count
                && queuedFor(email) == 0);
        // sent once: the relay, ticking every second, does not send any of them again
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30))
                .until(() -> TestMailServer.messagesTo(email).size() == count);
        return TestMailServer.messagesTo(email);
    }

    /** Nothing waits for the address, and nothing arrives for it within a few of the relay's ticks. */
    static void nothingSentTo(String email) {
        assertThat(queuedFor(email)).isZero();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30))
                .until(() -> TestMailServer.messagesTo(email).isEmpty());
    }

    private static String organizationName(long id) {
        return given().auth().oauth2(Personas.mary()).when().get("/api/v1/organizations/" + id)
                .then().statusCode(200).extract().path("name");
    }

    private static Map<String, Object> issued(long account, int index) {
        return IdentityStandIn.ISSUED_ACTIVATIONS.stream()
                .filter(a -> ((Long) a.get("accountId")) == account).toList().get(index);
    }

    /** The account a failed create made was deleted again in identity-service, and nothing here refers to it. */
    private static void assertNoAccountLeft(String email) {
        assertThat(IdentityStandIn.accountByEmail(email)).as("account of %s in identity-service", email).isEmpty();
        Map<String, Object> deleted = IdentityStandIn.DELETED_ACCOUNTS.stream()
                .filter(a -> email.equals(a.get("email"))).findFirst().orElseThrow();
        long id = ((Number) deleted.get("id")).longValue();
        assertThat(TestDatabase.number("SELECT count(*) FROM admin.practitioner WHERE jhe_user_id = " + id)).isZero();
        assertThat(TestDatabase.number("SELECT count(*) FROM admin.account WHERE id = " + id)).isZero();
        given().auth().oauth2(Personas.admin()).when().get("/api/v1/users?email=" + email)
                .then().statusCode(200).body("count", equalTo(0));
    }

    @Test
    void aNewPractitionerReceivesTheLinkIdentityServiceIssuedOnceAndTheAnswerDoesNotCarryIt() {
        long org = Fixtures.organization();
        String email = Fixtures.unique("staff") + "@example.org";

        ExtractableResponse<Response> created = createPractitioner(Map.of("telecomEmail", email, "nameGiven", "Ada",
                "nameFamily", "Lovelace", "organizationId", org));

        long account = accountOf(created);
        assertThat(IdentityStandIn.activationLinks(account)).hasSize(1);
        String link = IdentityStandIn.activationLinks(account).get(0);
        Instant expiresAt = Instant.parse((String) issued(account, 0).get("expiresAt"));
        Map<String, Object> answer = created.jsonPath().getMap("$");
        assertThat(answer).doesNotContainKey("activationLink");
        assertThat(Instant.parse(created.path("activationExpiresAt"))).isEqualTo(expiresAt);
        assertThat(created.asString()).doesNotContain(link.substring(link.indexOf("token=") + 6));

        Received mail = messagesOnceThereAre(email, 1).get(0);
        assertThat(mail.to()).containsExactly(email);
        assertThat(mail.subject()).isEqualTo(SUBJECT);
        assertThat(mail.text()).startsWith("Hello Ada,")
                .contains(organizationName(org) + " has invited you")
                .contains("\n" + link + "\n")
                .contains("until " + EXPIRY.format(expiresAt) + ".");
        assertThat(mail.html()).contains("<a href=\"" + link + "\">").contains(organizationName(org));
    }

    @Test
    void aNewUserIsInvitedInTheNameOfTheAdministrators() {
        String email = Fixtures.unique("user") + "@example.org";

        ExtractableResponse<Response> created = given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("email", email, "firstName", "Grace", "userType", "practitioner"))
                .when().post("/api/v1/users")
                .then().statusCode(201).body("$", not(hasKey("activationLink")))
                .body("activationExpiresAt", notNullValue()).extract();

        List<String> links = IdentityStandIn.activationLinks(((Number) created.path("id")).longValue());
        assertThat(links).hasSize(1);
        Received mail = messagesOnceThereAre(email, 1).get(0);
        assertThat(mail.subject()).isEqualTo(SUBJECT);
        assertThat(mail.text()).startsWith("Hello Grace,")
                .contains("The administrators of JupyterHealth Exchange have invited you")
                .contains("\n" + links.get(0) + "\n");
    }

    @Test
    void anExistingAccountIsLeftAloneAndGetsNoActivation() {
        String email = Fixtures.unique("known") + "@example.org";
        long account = IdentityStandIn.createAccount(email, "practitioner");

        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("telecomEmail", email, "nameFamily", "Known"))
                .when().post("/api/v1/practitioners")
                .then().statusCode(201).body("jheUserId", equalTo((int) account))
                .body("$", not(hasKey("activationExpiresAt"))).body("$", not(hasKey("activationLink")));

        assertThat(IdentityStandIn.activationLinks(account)).isEmpty();
        nothingSentTo(email);
    }

    @Test
    void patientsAreNotActivatedTheyAreInvited() {
        String patientEmail = Fixtures.unique("patient") + "@example.org";
        Number userId = given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("organizationId", Fixtures.organization(), "telecomEmail", patientEmail,
                        "nameFamily", "Doe", "nameGiven", "Jo"))
                .when().post("/api/v1/patients")
                .then().statusCode(201).extract().path("jheUserId");
        String userEmail = Fixtures.unique("patient-user") + "@example.org";
        Number otherId = given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("email", userEmail, "userType", "patient"))
                .when().post("/api/v1/users")
                .then().statusCode(201).body("$", not(hasKey("activationExpiresAt"))).extract().path("id");

        assertThat(IdentityStandIn.activationLinks(userId.longValue())).isEmpty();
        assertThat(IdentityStandIn.activationLinks(otherId.longValue())).isEmpty();
        nothingSentTo(patientEmail);
        nothingSentTo(userEmail);
    }

    @Test
    void identityServiceUnableToIssueTheLinkIsA503ThatLeavesNothingBehind() {
        IdentityStandIn.FAIL_ACTIVATION_WITH.set(503);
        long org = Fixtures.organization();
        String email = Fixtures.unique("down") + "@example.org";
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("telecomEmail", email, "nameFamily", "Down", "organizationId", org))
                .when().post("/api/v1/practitioners")
                .then().statusCode(503).body("detail", equalTo(UNAVAILABLE));
        String userEmail = Fixtures.unique("down-user") + "@example.org";
        given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("email", userEmail, "userType", "practitioner"))
                .when().post("/api/v1/users")
                .then().statusCode(503).body("detail", equalTo(UNAVAILABLE));

        assertNoAccountLeft(email);
        assertNoAccountLeft(userEmail);
        nothingSentTo(email);
        nothingSentTo(userEmail);
    }

    @Test
    void aSuperuserSendsANewLinkByEmail() {
        long org = Fixtures.organization();
        String email = Fixtures.unique("resend") + "@example.org";
        ExtractableResponse<Response> created = createPractitioner(Map.of("telecomEmail", email, "nameGiven", "Ada",
                "organizationId", org));
        long account = accountOf(created);
        messagesOnceThereAre(email, 1);

        ExtractableResponse<Response> resent = given().auth().oauth2(Personas.admin())
                .when().post("/api/v1/practitioners/" + created.path("id") + "/activation")
                .then().statusCode(202).body("$", not(hasKey("activationLink"))).extract();

        List<String> links = IdentityStandIn.activationLinks(account);
        assertThat(links).hasSize(2);
        assertThat(Instant.parse(resent.path("activationExpiresAt")))
                .isEqualTo(Instant.parse((String) issued(account, 1).get("expiresAt")));
        List<Received> messages = messagesOnceThereAre(email, 2);
        assertThat(messages).filteredOn(m -> m.text().contains("\n" + links.get(1) + "\n")).hasSize(1)
                .allSatisfy(m -> assertThat(m.text()).contains(organizationName(org) + " has invited you"));
    }

    @Test
    void anActiveAccountIsRefusedWithIdentityServicesConflict() {
        String email = Fixtures.unique("active") + "@example.org";
        ExtractableResponse<Response> created = createPractitioner(Map.of("telecomEmail", email));
        long account = accountOf(created);
        messagesOnceThereAre(email, 1);
        IdentityStandIn.ACTIVE.add(account);

        given().auth().oauth2(Personas.admin())
                .when().post("/api/v1/practitioners/" + created.path("id") + "/activation")
                .then().statusCode(409).body("detail", equalTo("The account is already active."));

        assertThat(IdentityStandIn.activationLinks(account)).hasSize(1);
        messagesOnceThereAre(email, 1);
    }

    @Test
    void resendingIsForSuperusersToKnownPractitionersWhileIdentityServiceAnswers() {
        String email = Fixtures.unique("who") + "@example.org";
        Object id = createPractitioner(Map.of("telecomEmail", email)).path("id");
        messagesOnceThereAre(email, 1);

        given().when().post("/api/v1/practitioners/" + id + "/activation").then().statusCode(401);
        for (String token : List.of(Personas.mary(), Personas.victor(), Personas.peter())) {
            given().auth().oauth2(token).when().post("/api/v1/practitioners/" + id + "/activation")
                    .then().statusCode(403)
                    .body("detail", equalTo("You do not have permission to perform this action."));
        }
        given().auth().oauth2(Personas.admin()).when().post("/api/v1/practitioners/999999/activation")
                .then().statusCode(404).body("detail", equalTo("No Practitioner matches the given query."));
        IdentityStandIn.FAIL_ACTIVATION_WITH.set(503);
        given().auth().oauth2(Personas.admin()).when().post("/api/v1/practitioners/" + id + "/activation")
                .then().statusCode(503).body("detail", equalTo(UNAVAILABLE));

        messagesOnceThereAre(email, 1);
    }

    @Test
    void noLogLineHoldsTheLinkOrItsToken() {
        try (LogCapture log = LogCapture.of("")) {
            String email = Fixtures.unique("quiet") + "@example.org";
            ExtractableResponse<Response> created = createPractitioner(Map.of("telecomEmail", email));
            given().auth().oauth2(Personas.admin())
                    .when().post("/api/v1/practitioners/" + created.path("id") + "/activation")
                    .then().statusCode(202);
            messagesOnceThereAre(email, 2);

            List<String> links = IdentityStandIn.activationLinks(accountOf(created));
            assertThat(links).hasSize(2);
            for (String link : links) {
                String token = link.substring(link.indexOf("token=") + 6);
                assertThat(log.lines()).noneSatisfy(line -> assertThat(line).contains(token));
            }
            assertThat(log.lines()).noneSatisfy(line -> assertThat(line).contains(email));
        }
    }

    @Test
    void theOpenApiDocumentDescribesTheResendAndTheOptionalFields() {
        given().when().get("/api/schema?format=json").then().statusCode(200)
                .body("paths.'/api/v1/practitioners/{id}/activation'.post.responses", hasKey("202"))
                .body("paths.'/api/v1/practitioners/{id}/activation'.post.responses", hasKey("409"))
                .body("components.schemas.ActivationResponse.properties", hasKey("activationExpiresAt"))
                .body("components.schemas.PractitionerResponse.properties", hasKey("activationLink"))
                .body("components.schemas.PractitionerResponse.properties", hasKey("activationExpiresAt"))
                .body("components.schemas.PractitionerResponse.required", not(hasItem("activationLink")))
                .body("components.schemas.UserResponse.properties", hasKey("activationLink"))
                .body("components.schemas.UserResponse.required", not(hasItem("activationExpiresAt")));
    }
}
