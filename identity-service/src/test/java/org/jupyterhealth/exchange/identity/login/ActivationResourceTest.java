package org.jupyterhealth.exchange.identity.login;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.jupyterhealth.exchange.common.testing.SecurityHeaderAssertions.assertSecurityHeaders;
import static org.jupyterhealth.exchange.identity.support.Tokens.form;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.testing.LogCapture;
import org.jupyterhealth.exchange.identity.support.Activations;
import org.jupyterhealth.exchange.identity.support.IdentityFixtures;
import org.jupyterhealth.exchange.identity.support.Tokens;
import org.jupyterhealth.exchange.identity.token.RandomTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The page of an activation link, as a person whose account was created without a password uses it: choose a
 * password, then sign in with it. Accounts and links come from the real internal endpoints, as admin-service gets
 * them; the page is checked for what it shows, what it refuses, and what it never reveals.
 */
@QuarkusTest
class ActivationResourceTest {
    private static final String NEW_PASSWORD = "maple syrup on a snowy porch";
    private static final String UNUSABLE =
            "This activation link is not valid: it may have expired or been used already.";
    private static final AtomicInteger ADDRESSES = new AtomicInteger();

    @Inject
    IdentityFixtures fixtures;
    @Inject
    Pool pool;

    @BeforeEach
    void passwordClient() {
        fixtures.publicClient("activation-app", "password");
    }

    private static Response show(String token) {
        return given().redirects().follow(false).queryParam("token", token).when().get("/o/activate");
    }

    /** Submits the form as the browser would: the page's CSRF cookie, its hidden fields, the two passwords. */
    private static Response submit(String csrf, String token, String password, String confirmation) {
        return given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie("jhe_csrf", csrf)
                .formParam("csrf_token", csrf).formParam("token", token)
                .formParam("password", password).formParam("password_confirmation", confirmation)
                .when().post("/o/activate");
    }

    private static Response submit(String token, String password) {
        String csrf = show(token).then().statusCode(200).extract().cookie("jhe_csrf");
        return submit(csrf, token, password, password);
    }

    /** A password grant, each from an address of its own, so that the failures expected here lock no address. */
    private static Response signIn(String email, String password) {
        int n = ADDRESSES.incrementAndGet();
        return form().header("X-Forwarded-For", "10.77." + n / 250 + "." + n % 250)
                .formParam("grant_type", "password").formParam("client_id", "activation-app")
                .formParam("username", email).formParam("password", password)
                .formParam("scope", "openid read write")
                .when().post("/o/token/");
    }

    private void expire(String token) {
        pool.preparedQuery("UPDATE identity.account_token SET expires_at = now() - interval '1 second' "
                + "WHERE token_hash = $1")
                .execute(Tuple.of(RandomTokens.sha256Hex(token))).await().indefinitely();
    }

    @Test
    void showsAProtectedFormThatCarriesTheTokenOnlyInItsHiddenField() {
        long id = Activations.accountWithoutPassword("page.form@example.com");
        String token = Activations.issueToken(id);

        Response page = show(token);

        page.then().statusCode(200)
                .contentType(startsWith("text/html"))
                .header("Referrer-Policy", "no-referrer")
                .header("Content-Security-Policy", startsWith("default-src 'none'"))
                .header("Set-Cookie", containsString("HttpOnly"))
                .header("Set-Cookie", containsString("SameSite=Strict"))
                .header("Set-Cookie", containsString("Path=/o/activate"));
        assertSecurityHeaders(page);
        String html = page.asString();
        String csrf = page.getCookie("jhe_csrf");
        assertThat(html).contains("<input type=\"hidden\" name=\"token\" value=\"" + token + "\">")
                .contains("name=\"csrf_token\" value=\"" + csrf + "\"")
                .contains("<label for=\"password\">").contains("<label for=\"password_confirmation\">")
                .contains("autocomplete=\"new-password\"")
                .contains("action=\"http://localhost:8000/o/activate\"")
                .contains("page.form@example.com");
        assertThat(html.split(token, -1)).as("the token appears once, in the hidden field").hasSize(2);
        assertThat(page.getHeaders().asList()).noneMatch(header -> header.getValue().contains(token));
    }

    @Test
    void activationSetsThePasswordWithWhichThePersonThenSignsIn() {
        long id = Activations.accountWithoutPassword("page.activated@example.com");
        String token = Activations.issueToken(id);
        signIn("page.activated@example.com", NEW_PASSWORD).then().statusCode(400);

        submit(token, NEW_PASSWORD).then().statusCode(200)
                .body(containsString("Your account is ready"))
                .body(containsString("href=\"http://localhost:8000/\""))
                .body(not(containsString(token)));

        String access = signIn("page.activated@example.com", NEW_PASSWORD).then().statusCode(200)
                .extract().path("access_token");
        assertThat(Tokens.claims(access).getString("email")).isEqualTo("page.activated@example.com");
        assertThat(Tokens.claims(access).getString("sub")).isEqualTo(Long.toString(id));
        Activations.requestLink(id).then().statusCode(409).body("detail", equalTo("The account is already active."));
    }

    @Test
    void aLinkWorksOnceOnly() {
        long id = Activations.accountWithoutPassword("page.once@example.com");
        String token = Activations.issueToken(id);
        String csrf = show(token).getCookie("jhe_csrf");
        submit(csrf, token, NEW_PASSWORD, NEW_PASSWORD).then().statusCode(200);

        submit(csrf, token, "another long passphrase here", "another long passphrase here")
                .then().statusCode(410).body(containsString(UNUSABLE));

        show(token).then().statusCode(410).body(containsString(UNUSABLE)).body(not(containsString("<form")));
        signIn("page.once@example.com", NEW_PASSWORD).then().statusCode(200);
        signIn("page.once@example.com", "another long passphrase here").then().statusCode(400);
    }

    @Test
    void anExpiredLinkIsRefusedWithTheSamePageAsAnUnknownOrUsedOne() {
        long id = Activations.accountWithoutPassword("page.expired@example.com");
        String token = Activations.issueToken(id);
        String csrf = show(token).getCookie("jhe_csrf");
        expire(token);

        String expired = show(token).then().statusCode(410).extract().asString();
        submit(csrf, token, NEW_PASSWORD, NEW_PASSWORD).then().statusCode(410);
        String unknown = show(RandomTokens.accountToken()).then().statusCode(410).extract().asString();
        String malformed = show("not-a-token").then().statusCode(410).extract().asString();

        assertThat(expired).contains(UNUSABLE).contains("send you a new link").doesNotContain(token);
        assertThat(unknown).isEqualTo(expired);
        assertThat(malformed).isEqualTo(expired);
        given().when().get("/o/activate").then().statusCode(400).body(containsString(UNUSABLE));
        signIn("page.expired@example.com", NEW_PASSWORD).then().statusCode(400);
    }

    @Test
    void aPasswordThePolicyRefusesBringsTheFormBackWithTheReasonAndTheLinkStillWorks() {
        long id = Activations.accountWithoutPassword("page.policy@example.com");
        String token = Activations.issueToken(id);
        String csrf = show(token).getCookie("jhe_csrf");

        String refused = submit(csrf, token, "too short", "too short").then().statusCode(400)
                .contentType(startsWith("text/html"))
                .extract().asString();

        assertThat(refused).contains("<p id=\"password-error\" class=\"error\" role=\"alert\">"
                + "Your password is too short: use at least 12 characters.</p>")
                .contains("aria-describedby=\"password-hint password-error\" aria-invalid=\"true\"")
                .contains("name=\"token\" value=\"" + token + "\"");
        String ownEmail = submit(csrf, token, "page.policy@example.com", "page.policy@example.com")
                .then().statusCode(400).extract().asString();
        assertThat(ownEmail).contains("cannot be your email address");
        submit(csrf, token, NEW_PASSWORD, NEW_PASSWORD).then().statusCode(200);
        signIn("page.policy@example.com", NEW_PASSWORD).then().statusCode(200);
    }

    @Test
    void aConfirmationThatDiffersIsNamedNextToItsFieldAndChangesNothing() {
        long id = Activations.accountWithoutPassword("page.mismatch@example.com");
        String token = Activations.issueToken(id);
        String csrf = show(token).getCookie("jhe_csrf");

        String refused = submit(csrf, token, NEW_PASSWORD, NEW_PASSWORD + "!").then().statusCode(400)
                .extract().asString();

        assertThat(refused).contains("<p id=\"confirmation-error\" class=\"error\" role=\"alert\">"
                + "The two passwords do not match.</p>")
                .doesNotContain("id=\"password-error\"");
        show(token).then().statusCode(200);
        signIn("page.mismatch@example.com", NEW_PASSWORD).then().statusCode(400);
    }

    @Test
    void refusesAFormWithoutTheCsrfCookieOrWithAnotherTokenAndTheLinkStillWorks() {
        long id = Activations.accountWithoutPassword("page.csrf@example.com");
        String token = Activations.issueToken(id);
        String csrf = show(token).getCookie("jhe_csrf");

        given().contentType("application/x-www-form-urlencoded").formParam("csrf_token", csrf)
                .formParam("token", token).formParam("password", NEW_PASSWORD)
                .formParam("password_confirmation", NEW_PASSWORD)
                .when().post("/o/activate")
                .then().statusCode(403).body(containsString("did not come from this site"));
        submit("A".repeat(43), token, NEW_PASSWORD, NEW_PASSWORD).then().statusCode(200);
    }

    @Test
    void ofTwoSubmissionsAtOnceExactlyOneActivatesTheAccount() throws Exception {
        long id = Activations.accountWithoutPassword("page.race@example.com");
        String token = Activations.issueToken(id);
        String csrf = show(token).getCookie("jhe_csrf");
        int submissions = 4;
        ExecutorService executor = Executors.newFixedThreadPool(submissions);
        CountDownLatch start = new CountDownLatch(1);
        List<Integer> statuses = new ArrayList<>();
        String winner = null;
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < submissions; i++) {
                String password = NEW_PASSWORD + " number " + i;
                answers.add(executor.submit(() -> {
                    start.await();
                    return submit(csrf, token, password, password).statusCode();
                }));
            }

            start.countDown();

            for (int i = 0; i < submissions; i++) {
                int status = answers.get(i).get(60, TimeUnit.SECONDS);
                statuses.add(status);
                if (status == 200) {
                    winner = NEW_PASSWORD + " number " + i;
                }
            }
        } finally {
            executor.shutdownNow();
        }

        assertThat(statuses).containsOnly(200, 410).filteredOn(status -> status == 200).hasSize(1);
        signIn("page.race@example.com", winner).then().statusCode(200);
        for (int i = 0; i < submissions; i++) {
            String password = NEW_PASSWORD + " number " + i;
            if (!password.equals(winner)) {
                signIn("page.race@example.com", password).then().statusCode(400);
            }
        }
    }

    @Test
    void noLogLineEverHoldsTheToken() {
        long id = Activations.accountWithoutPassword("page.logs@example.com");
        String token = Activations.issueToken(id);
        try (LogCapture log = LogCapture.of("")) {
            String csrf = show(token).then().statusCode(200).extract().cookie("jhe_csrf");
            submit(csrf, token, "too short", "too short").then().statusCode(400);
            submit(csrf, token, NEW_PASSWORD, NEW_PASSWORD).then().statusCode(200);
            submit(csrf, token, NEW_PASSWORD, NEW_PASSWORD).then().statusCode(410);
            show(token).then().statusCode(410);

            assertThat(log.lines()).as("the activation was logged")
                    .anyMatch(line -> line.contains("event=account_activated user_id=" + id))
                    .anyMatch(line -> line.contains("event=activation_refused user_id=" + id))
                    .noneMatch(line -> line.contains(token))
                    .noneMatch(line -> line.contains(RandomTokens.sha256Hex(token)))
                    .noneMatch(line -> line.contains(NEW_PASSWORD));
        }
    }
}
