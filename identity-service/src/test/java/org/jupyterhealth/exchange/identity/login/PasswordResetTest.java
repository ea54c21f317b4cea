package org.jupyterhealth.exchange.identity.login;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.jupyterhealth.exchange.common.testing.SecurityHeaderAssertions.assertSecurityHeaders;
import static org.jupyterhealth.exchange.identity.support.Tokens.form;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.testing.LogCapture;
import org.jupyterhealth.exchange.common.testing.TestMailServer;
import org.jupyterhealth.exchange.common.testing.TestMailServer.Received;
import org.jupyterhealth.exchange.identity.support.IdentityFixtures;
import org.jupyterhealth.exchange.identity.support.Tokens;
import org.jupyterhealth.exchange.identity.token.RandomTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A forgotten password, as the person goes through it against the real test mail server: ask at {@code /o/forgot},
 * read the e-mail, follow its link to {@code /o/reset}, choose a new password, sign in with it. And what the flow
 * must never do: tell whether an address has an account (same answer, same least time, no mail), let a link work
 * expired, twice or after a newer one, take a weak password, leave the old sessions alive, or log an address or a
 * token.
 */
@QuarkusTest
class PasswordResetTest {
    private static final String APP = "reset-app";
    private static final String NEW_PASSWORD = "lanterns along the quiet harbour";
    private static final String SUBJECT = "Reset your JupyterHealth Exchange password";
    private static final String SENT =
            "If an account uses this address, a link to choose a new password is on its way to it.";
    private static final String UNUSABLE = "This password reset link is not valid";
    private static final Pattern LINK = Pattern.compile("http://localhost:8000/o/reset\\?token=([A-Za-z0-9_-]{43})");
    /** The least answer time of the test profile ({@code jhe.identity.reset.min-response-time}). */
    private static final Duration LEAST = Duration.ofMillis(300);
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    @Inject
    IdentityFixtures fixtures;
    @Inject
    Pool pool;

    @BeforeEach
    void passwordClient() {
        fixtures.publicClient(APP, "password refresh_token");
    }

    /** An address of this run only: the test mail server keeps the messages of earlier runs. */
    private static String unique(String name) {
        return name + "." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    /** Asks for a reset link as the browser does: the page's CSRF cookie, its hidden field, the address. */
    private static Response requestLink(String email) {
        String csrf = given().when().get("/o/forgot").then().statusCode(200).extract().cookie("jhe_csrf");
        return given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie("jhe_csrf", csrf).formParam("csrf_token", csrf).formParam("email", email)
                .when().post("/o/forgot");
    }

    private static Response show(String token) {
        return given().redirects().follow(false).queryParam("token", token).when().get("/o/reset");
    }

    private static Response submit(String token, String password, String confirmation) {
        String csrf = show(token).then().statusCode(200).extract().cookie("jhe_csrf");
        return submit(csrf, token, password, confirmation);
    }

    private static Response submit(String csrf, String token, String password, String confirmation) {
        return given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie("jhe_csrf", csrf)
                .formParam("csrf_token", csrf).formParam("token", token)
                .formParam("password", password).formParam("password_confirmation", confirmation)
                .when().post("/o/reset");
    }

    /** A password grant, each from an address of its own, so that the failures expected here lock no address. */
    private static Response signIn(String email, String password) {
        int n = ADDRESSES.incrementAndGet();
        return form().header("X-Forwarded-For", "10.78." + n / 250 + "." + n % 250)
                .formParam("grant_type", "password").formParam("client_id", APP)
                .formParam("username", email).formParam("password", password)
                .formParam("scope", "openid read write")
                .when().post("/o/token/");
    }

    private static ValidatableResponse refresh(String refreshToken) {
        return form().formParam("grant_type", "refresh_token").formParam("client_id", APP)
                .formParam("refresh_token", refreshToken).when().post("/o/token/").then();
    }

    private static ValidatableResponse userinfo(String accessToken) {
        return given().auth().oauth2(accessToken).when().get("/o/userinfo").then();
    }

    /** The messages the address received, once there are {@code count} and none waits in the outbox. */
    private List<Received> mailsOnceThereAre(String email, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> TestMailServer.messagesTo(email).size() == count
                && queuedFor(email) == 0);
        return TestMailServer.messagesTo(email);
    }

    private long queuedFor(String email) {
        return pool.preparedQuery("SELECT count(*) FROM identity.mail_outbox WHERE recipient = $1")
                .execute(Tuple.of(email)).await().indefinitely().iterator().next().getLong(0);
    }

    /** The token of the link in a reset e-mail's text. */
    private static String tokenIn(Received mail) {
        Matcher link = LINK.matcher(mail.text());
        assertThat(link.find()).as("a reset link in the text: %s", mail.text()).isTrue();
        assertThat(mail.html()).contains("href=\"" + link.group() + "\"");
        return link.group(1);
    }

    /** Asks for a link for the address and returns the token of the one e-mail number {@code count} brings. */
    private String linkFor(String email, int count) {
        requestLink(email).then().statusCode(200);
        List<Received> mails = mailsOnceThereAre(email, count);
        return tokenIn(mails.get(count - 1));
    }

    @Test
    void aKnownAddressGetsOneMailWhoseLinkSetsThePasswordThatThenSignsIn() {
        String email = unique("reset.known");
        long id = fixtures.practitioner(email, true);

        requestLink(email).then().statusCode(200).contentType(startsWith("text/html")).body(containsString(SENT));

        List<Received> mails = mailsOnceThereAre(email, 1);
        Received mail = mails.get(0);
        assertThat(mail.to()).containsExactly(email);
        assertThat(mail.subject()).isEqualTo(SUBJECT);
        String token = tokenIn(mail);

        Response page = show(token);
        page.then().statusCode(200).header("Referrer-Policy", "no-referrer")
                .header("Set-Cookie", containsString("Path=/o/reset"));
        assertSecurityHeaders(page);
        assertThat(page.asString()).contains("<input type=\"hidden\" name=\"token\" value=\"" + token + "\">")
                .contains("action=\"http://localhost:8000/o/reset\"").contains(email);

        submit(token, NEW_PASSWORD, NEW_PASSWORD).then().statusCode(200)
                .body(containsString("Your password is changed")).body(not(containsString(token)));

        String access = signIn(email, NEW_PASSWORD).then().statusCode(200).extract().path("access_token");
        assertThat(Tokens.claims(access).getString("sub")).isEqualTo(Long.toString(id));
        signIn(email, IdentityFixtures.PASSWORD).then().statusCode(400).body("error", equalTo("invalid_grant"));
        // sent once: the relay, ticking every second, sends nothing again
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(30))
                .until(() -> TestMailServer.messagesTo(email).size() == 1);
    }

    @Test
    void anUnknownAddressGetsTheSameAnswerAfterTheSameLeastTimeAndNoMail() {
        String known = unique("reset.same");
        fixtures.practitioner(known, true);
        String unknown = unique("reset.nobody");
        String inactive = unique("reset.inactive");
        fixtures.practitioner(inactive, false);

        long started = System.nanoTime();
        String forKnown = requestLink(known).then().statusCode(200).extract().asString();
        Duration knownTook = Duration.ofNanos(System.nanoTime() - started);
        started = System.nanoTime();
        String forUnknown = requestLink(unknown).then().statusCode(200).extract().asString();
        Duration unknownTook = Duration.ofNanos(System.nanoTime() - started);
        String forInactive = requestLink(inactive).then().statusCode(200).extract().asString();

        assertThat(forUnknown).isEqualTo(forKnown).contains(SENT);
        assertThat(forInactive).isEqualTo(forKnown);
        assertThat(knownTook).isGreaterThanOrEqualTo(LEAST);
        assertThat(unknownTook).isGreaterThanOrEqualTo(LEAST);
        mailsOnceThereAre(known, 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(30))
                .until(() -> TestMailServer.messagesTo(unknown).isEmpty() && TestMailServer.messagesTo(inactive)
                        .isEmpty());
        assertThat(queuedFor(unknown) + queuedFor(inactive)).isZero();
    }

    @Test
    void anExpiredLinkIsRefusedAndSetsNothing() {
        String email = unique("reset.expired");
        fixtures.practitioner(email, true);
        String token = linkFor(email, 1);
        pool.preparedQuery("UPDATE identity.account_token SET expires_at = now() - interval '1 second' "
                + "WHERE token_hash = $1").execute(Tuple.of(RandomTokens.sha256Hex(token))).await().indefinitely();

        show(token).then().statusCode(410).body(containsString(UNUSABLE))
                .body(containsString("href=\"http://localhost:8000/o/forgot\""));
        String csrf = given().when().get("/o/forgot").then().extract().cookie("jhe_csrf");
        submit(csrf, token, NEW_PASSWORD, NEW_PASSWORD).then().statusCode(410).body(containsString(UNUSABLE));

        signIn(email, NEW_PASSWORD).then().statusCode(400);
        signIn(email, IdentityFixtures.PASSWORD).then().statusCode(200);
    }

    @Test
    void aLinkWorksOnceOnly() {
        String email = unique("reset.once");
        fixtures.practitioner(email, true);
        String token = linkFor(email, 1);
        String csrf = show(token).then().statusCode(200).extract().cookie("jhe_csrf");
        submit(csrf, token, NEW_PASSWORD, NEW_PASSWORD).then().statusCode(200);

        submit(csrf, token, "another long password for later", "another long password for later")
                .then().statusCode(410).body(containsString(UNUSABLE));
        show(token).then().statusCode(410);

        signIn(email, NEW_PASSWORD).then().statusCode(200);
    }

    @Test
    void aWeakPasswordIsRefusedOnThePageAndTheLinkStillWorks() {
        String email = unique("reset.weak");
        fixtures.practitioner(email, true);
        String token = linkFor(email, 1);

        String refused = submit(token, "short", "short").then().statusCode(400).extract().asString();
        assertThat(refused).contains("id=\"password-error\"").contains("at least 12 characters")
                .contains("<input type=\"hidden\" name=\"token\" value=\"" + token + "\">");
        String common = submit(token, "1qaz2wsx3edc", "1qaz2wsx3edc").then().statusCode(400).extract().asString();
        assertThat(common).contains("id=\"password-error\"").contains("too common");
        String mismatch = submit(token, NEW_PASSWORD, NEW_PASSWORD + "!").then().statusCode(400).extract().asString();
        assertThat(mismatch).contains("id=\"confirmation-error\"").contains("The two passwords do not match.");
        signIn(email, IdentityFixtures.PASSWORD).then().statusCode(200);

        submit(token, NEW_PASSWORD, NEW_PASSWORD).then().statusCode(200);
        signIn(email, NEW_PASSWORD).then().statusCode(200);
    }

    @Test
    void anAccountGetsAtMostThreeResetMailsAnHourWhateverTheAnswerSays() {
        String email = unique("reset.capped");
        fixtures.practitioner(email, true);
        String first = requestLink(email).then().statusCode(200).extract().asString();
        mailsOnceThereAre(email, 1);
        String second = linkFor(email, 2);
        String lastSent = linkFor(email, 3);

        // the fourth and fifth requests of the hour: the same page, and no mail reaches the server
        String fourth = requestLink(email).then().statusCode(200).extract().asString();
        requestLink(email).then().statusCode(200);
        assertThat(fourth).isEqualTo(first);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30))
                .until(() -> TestMailServer.messagesTo(email).size() == 3 && queuedFor(email) == 0);
        // the last link sent still works; the earlier ones were ended by it as always
        show(lastSent).then().statusCode(200);
        show(second).then().statusCode(410);

        // an hour later the account may receive one again
        pool.preparedQuery("UPDATE identity.reset_mail SET sent_at = sent_at - interval '61 minutes' "
                + "WHERE user_id = (SELECT id FROM identity.jhe_user WHERE email = $1)")
                .execute(Tuple.of(email)).await().indefinitely();
        String again = linkFor(email, 4);
        show(lastSent).then().statusCode(410);
        submit(again, NEW_PASSWORD, NEW_PASSWORD).then().statusCode(200);
    }

    @Test
    void aSecondRequestEndsTheFirstLink() {
        String email = unique("reset.twice");
        fixtures.practitioner(email, true);
        String first = linkFor(email, 1);
        String second = linkFor(email, 2);
        assertThat(second).isNotEqualTo(first);

        show(first).then().statusCode(410).body(containsString(UNUSABLE));
        show(second).then().statusCode(200);
        submit(second, NEW_PASSWORD, NEW_PASSWORD).then().statusCode(200);
        signIn(email, NEW_PASSWORD).then().statusCode(200);
    }

    @Test
    void everySessionOfTheAccountEndsAndTheOtherServicesAreTold() {
        String email = unique("reset.sessions");
        long account = fixtures.practitioner(email, true);
        pool.preparedQuery("INSERT INTO identity.sign_in_session (token_hash, user_id, expires_at) "
                + "VALUES ($1, $2, now() + interval '1 hour')")
                .execute(Tuple.of(RandomTokens.sha256Hex("browser-of-" + email), account)).await().indefinitely();
        JsonPath one = Tokens.password(APP, email);
        JsonPath two = Tokens.password(APP, email);
        userinfo(one.getString("access_token")).statusCode(200);
        String token = linkFor(email, 1);

        submit(token, NEW_PASSWORD, NEW_PASSWORD).then().statusCode(200);

        for (JsonPath session : List.of(one, two)) {
            userinfo(session.getString("access_token")).statusCode(401);
            refresh(session.getString("refresh_token")).statusCode(400).body("error", equalTo("invalid_grant"));
            Row record = pool.preparedQuery("SELECT revoked_at IS NOT NULL AS revoked, revocation_published "
                    + "FROM identity.access_token WHERE jti = $1")
                    .execute(Tuple.of(UUID.fromString(Tokens.claims(session.getString("access_token"))
                            .getString("jti"))))
                    .await().indefinitely().iterator().next();
            assertThat(record.getBoolean("revoked")).isTrue();
            assertThat(record.getBoolean("revocation_published")).as("acknowledged by Kafka").isTrue();
        }
        assertThat(pool.preparedQuery("SELECT count(*) FROM identity.sign_in_session WHERE user_id = $1")
                .execute(Tuple.of(account)).await().indefinitely().iterator().next().getLong(0))
                .as("the browsers signed in with the old password").isZero();
    }

    @Test
    void aRequestWithoutThePagesCsrfTokenIsRefusedAndSendsNothing() {
        String email = unique("reset.csrf");
        fixtures.practitioner(email, true);

        given().contentType("application/x-www-form-urlencoded").formParam("email", email)
                .when().post("/o/forgot")
                .then().statusCode(403).body(containsString("did not come from this site"));
        given().contentType("application/x-www-form-urlencoded").cookie("jhe_csrf", RandomTokens.accountToken())
                .formParam("csrf_token", RandomTokens.accountToken()).formParam("email", email)
                .when().post("/o/forgot")
                .then().statusCode(403);

        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(30))
                .until(() -> TestMailServer.messagesTo(email).isEmpty());
        assertThat(queuedFor(email)).isZero();
    }

    @Test
    void theFormAsksAgainForSomethingThatIsNotAnAddress() {
        Response page = given().when().get("/o/forgot");
        page.then().statusCode(200).header("Set-Cookie", containsString("Path=/o/forgot"))
                .header("Set-Cookie", containsString("SameSite=Strict"))
                .body(containsString("name=\"email\""))
                .body(containsString("action=\"http://localhost:8000/o/forgot\""));
        assertSecurityHeaders(page);
        String csrf = page.getCookie("jhe_csrf");

        for (String notAnAddress : List.of("", "   ", "no-at-sign", "two@@example.com", "a b@example.com",
                "x".repeat(250) + "@example.com")) {
            given().contentType("application/x-www-form-urlencoded").cookie("jhe_csrf", csrf)
                    .formParam("csrf_token", csrf).formParam("email", notAnAddress)
                    .when().post("/o/forgot")
                    .then().statusCode(400).body(containsString("id=\"email-error\""))
                    .body(not(containsString(SENT)));
        }
        given().contentType("application/x-www-form-urlencoded").cookie("jhe_csrf", csrf)
                .body("csrf_token=" + csrf + "&email=%zz")
                .when().post("/o/forgot")
                .then().statusCode(400);
    }

    @Test
    void theAuditNamesTheAccountAndTheOutcomeNeverTheAddressOrTheToken() {
        String email = unique("reset.audit");
        long id = fixtures.practitioner(email, true);
        String unknown = unique("reset.audit.nobody");
        try (LogCapture audit = LogCapture.of("org.jupyterhealth.exchange.identity");
                LogCapture common = LogCapture.of("org.jupyterhealth.exchange.common")) {
            String token = linkFor(email, 1);
            requestLink(unknown).then().statusCode(200);
            submit(token, "short", "short").then().statusCode(400);
            submit(token, NEW_PASSWORD, NEW_PASSWORD).then().statusCode(200);

            assertThat(audit.lines())
                    .anySatisfy(l -> assertThat(l).contains("event=password_reset_requested user_id=" + id
                            + " outcome=mail_queued"))
                    .anySatisfy(l -> assertThat(l).contains("event=password_reset_requested user_id=null "
                            + "outcome=no_account"))
                    .anySatisfy(l -> assertThat(l).contains("event=password_reset_refused user_id=" + id))
                    .anySatisfy(l -> assertThat(l).contains("event=password_reset user_id=" + id));
            assertThat(audit.lines()).noneSatisfy(l -> assertThat(l).containsAnyOf(email, unknown, token));
            assertThat(common.lines()).noneSatisfy(l -> assertThat(l).containsAnyOf(email, unknown, token));
        }
    }
}
