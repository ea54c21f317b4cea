package org.jupyterhealth.exchange.identity.login;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.jupyterhealth.exchange.identity.login.AuthorizeResourceTest.query;
import static org.jupyterhealth.exchange.identity.support.Tokens.form;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.identity.support.IdentityFixtures;
import org.jupyterhealth.exchange.identity.support.Pkce;
import org.jupyterhealth.exchange.identity.support.SoftwareAuthenticator;
import org.jupyterhealth.exchange.identity.support.Tokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Passkeys as a person uses them, with a software authenticator in place of the browser's: register one from a
 * signed-in browser at {@code /o/passkeys}, sign in with it on the sign-in page (the same session and code flow as a
 * password), remove it. And what must be refused: another site's origin, a challenge answered twice, a counter that
 * goes back (a cloned authenticator), a passkey presented for another account or registered twice, removing another
 * account's passkey, a password sign-in of an account that requires its passkey.
 */
@QuarkusTest
class PasskeyTest {
    private static final String ADDED = "was added";

    @Inject
    IdentityFixtures fixtures;
    @Inject
    Pool pool;

    Pkce pkce;

    @BeforeEach
    void client() {
        fixtures.publicClient("passkey-app", "authorization_code password");
        pkce = Pkce.generate();
        address = newAddress();
    }

    /** An account of this test only (the database keeps the accounts of earlier tests). */
    private String account() {
        String email = "passkey." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        fixtures.practitioner(email, true);
        return email;
    }

    private Map<String, String> authorize() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("response_type", "code");
        parameters.put("client_id", "passkey-app");
        parameters.put("redirect_uri", IdentityFixtures.CALLBACK);
        parameters.put("code_challenge", pkce.challenge());
        parameters.put("code_challenge_method", "S256");
        parameters.put("scope", "openid read");
        parameters.put("state", "pk-1");
        return parameters;
    }

    /** The sign-in page's CSRF token (its cookie). */
    private String loginCsrf() {
        return given().redirects().follow(false).queryParams(authorize()).when().get("/o/authorize/")
                .then().statusCode(200).extract().cookie("jhe_csrf");
    }

    /** The address this test signs in from (failed sign-ins count against it, as in BruteForceTest). */
    private String address;

    private Response postSignIn(String csrf, Map<String, String> fields) {
        return given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .header("X-Forwarded-For", address)
                .cookie("jhe_csrf", csrf).formParams(fields).when().post("/o/authorize/");
    }

    /** Signs in with the password: the session cookie. */
    private String passwordSession(String email) {
        String csrf = loginCsrf();
        Map<String, String> fields = new HashMap<>(authorize());
        fields.put("csrf_token", csrf);
        fields.put("email", email);
        fields.put("password", IdentityFixtures.PASSWORD);
        Response answer = postSignIn(csrf, fields);
        answer.then().statusCode(302);
        return answer.getCookie(SignInSessions.COOKIE);
    }

    /** The passkeys page of a signed-in browser: its CSRF token. */
    private static String passkeysCsrf(String session) {
        return given().cookie(SignInSessions.COOKIE, session).when().get("/o/passkeys")
                .then().statusCode(200).extract().cookie("jhe_csrf");
    }

    private static JsonPath registrationOptions(String session, String csrf) {
        return given().cookie(SignInSessions.COOKIE, session).cookie("jhe_csrf", csrf).header("X-CSRF-Token", csrf)
                .when().post("/o/passkeys/options")
                .then().statusCode(200).header("Cache-Control", "no-store").extract().jsonPath();
    }

    private static Response postForm(String path, String session, String csrf, Map<String, String> fields) {
        return given().contentType("application/x-www-form-urlencoded").cookie(SignInSessions.COOKIE, session)
                .cookie("jhe_csrf", csrf).formParam("csrf_token", csrf).formParams(fields).when().post(path);
    }

    /** Registers the authenticator's passkey for the signed-in account: the page's answer. */
    private static Response register(String session, SoftwareAuthenticator authenticator, String label) {
        String csrf = passkeysCsrf(session);
        JsonPath options = registrationOptions(session, csrf);
        Map<String, String> fields = new HashMap<>(authenticator.create(options.getString("challenge"),
                options.getString("user.id")));
        fields.put("label", label);
        return postForm("/o/passkeys/register", session, csrf, fields);
    }

    /** A sign-in challenge of the sign-in page. */
    private static String signInChallenge(String csrf) {
        return given().cookie("jhe_csrf", csrf).header("X-CSRF-Token", csrf).when().post("/o/authorize/passkey")
                .then().statusCode(200).body("rpId", equalTo("localhost"))
                .extract().jsonPath().getString("challenge");
    }

    /** Signs in with the authenticator's answer to a new challenge on the sign-in page. */
    private Response passkeySignIn(SoftwareAuthenticator authenticator) {
        String csrf = loginCsrf();
        return signInWith(csrf, authenticator.get(signInChallenge(csrf)));
    }

    private Response signInWith(String csrf, Map<String, String> answer) {
        Map<String, String> fields = new HashMap<>(authorize());
        fields.put("csrf_token", csrf);
        fields.putAll(answer);
        return postSignIn(csrf, fields);
    }

    private static void assertRefused(Response answer) {
        answer.then().statusCode(200).body(containsString("This passkey could not sign you in"));
        assertThat(answer.getHeader("Location")).isNull();
        assertThat(answer.getCookie(SignInSessions.COOKIE)).isNull();
    }

    private long passkeys(String email) {
        return pool.preparedQuery("SELECT count(*) FROM identity.passkey p JOIN identity.jhe_user u "
                + "ON u.id = p.user_id WHERE u.email = $1").execute(Tuple.of(email)).await().indefinitely()
                .iterator().next().getLong(0);
    }

    @Test
    void aSignedInPersonRegistersAPasskeyAndSignsInWithItThroughTheCodeFlow() {
        String email = account();
        String session = passwordSession(email);
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();

        Response page = given().cookie(SignInSessions.COOKIE, session).when().get("/o/passkeys");
        page.then().statusCode(200).body(containsString(email)).body(containsString("no passkey yet"))
                .body(containsString("<script src=\"/o/passkeys.js\"></script>"));
        // the script is a file of this site's: nothing inline may run
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'")
                .doesNotContain("script-src 'self' 'unsafe-inline'").contains("frame-ancestors 'none'");
        String csrf = page.getCookie("jhe_csrf");
        JsonPath options = registrationOptions(session, csrf);
        assertThat(options.getString("rp.id")).isEqualTo("localhost");
        assertThat(options.getString("user.name")).isEqualTo(email);
        assertThat(options.getString("attestation")).isEqualTo("none");
        assertThat(options.getString("authenticatorSelection.residentKey")).isEqualTo("required");
        assertThat(options.getList("pubKeyCredParams.alg")).contains(-7);
        Map<String, String> fields = new HashMap<>(authenticator.create(options.getString("challenge"),
                options.getString("user.id")));
        fields.put("label", "Work laptop");
        postForm("/o/passkeys/register", session, csrf, fields).then().statusCode(200)
                .body(containsString(ADDED)).body(containsString("Work laptop"));
        // the challenge is stored as its hash only, and gone once answered
        assertThat(pool.preparedQuery("SELECT count(*) FROM identity.passkey_challenge WHERE challenge_hash = $1")
                .execute(Tuple.of(options.getString("challenge"))).await().indefinitely().iterator().next()
                .getLong(0)).isZero();

        Response signedIn = passkeySignIn(authenticator);

        signedIn.then().statusCode(302).header("Location", startsWith(IdentityFixtures.CALLBACK + "?code="));
        Map<String, String> answer = query(signedIn.getHeader("Location"));
        assertThat(answer).containsEntry("state", "pk-1");
        String newSession = signedIn.getCookie(SignInSessions.COOKIE);
        assertThat(newSession).isNotBlank();
        String accessToken = form().formParam("grant_type", "authorization_code").formParam("code", answer.get("code"))
                .formParam("redirect_uri", IdentityFixtures.CALLBACK).formParam("client_id", "passkey-app")
                .formParam("code_verifier", pkce.verifier())
                .when().post("/o/token/")
                .then().statusCode(200).extract().path("access_token");
        given().auth().oauth2(accessToken).when().get("/o/userinfo").then().statusCode(200)
                .body("email", equalTo(email));
        // the passkey's session is a session like any other: the page knows the person, and shows the last use
        given().cookie(SignInSessions.COOKIE, newSession).when().get("/o/passkeys").then().statusCode(200)
                .body(containsString("Work laptop")).body(containsString("last used"));
    }

    @Test
    void theSignInPageOffersThePasskeyWithItsOwnScriptAndChallengesNeedThePagesToken() {
        Response page = given().redirects().follow(false).queryParams(authorize()).when().get("/o/authorize/");

        page.then().statusCode(200).body(containsString("Sign in with a passkey"))
                .body(containsString("<script src=\"/o/passkeys.js\"></script>"));
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'").contains("connect-src 'self'")
                .doesNotContain("unsafe-eval").doesNotContain("form-action");
        given().when().get("/o/passkeys.js").then().statusCode(200)
                .contentType(containsString("javascript"))
                .body(containsString("navigator.credentials.get")).body(containsString("navigator.credentials.create"));
        given().cookie("jhe_csrf", page.getCookie("jhe_csrf")).when().post("/o/authorize/passkey")
                .then().statusCode(403).body("error", equalTo("access_denied"));
        given().when().post("/o/passkeys/options").then().statusCode(403);
        String csrf = "A".repeat(43);
        given().cookie("jhe_csrf", csrf).header("X-CSRF-Token", csrf).when().post("/o/passkeys/options")
                .then().statusCode(401).body("error", equalTo("login_required"));
        given().when().get("/o/passkeys").then().statusCode(401).body(containsString("Sign in first"));
    }

    @Test
    void anotherSitesOriginIsRefusedAtRegistrationAndSignIn() {
        String email = account();
        String session = passwordSession(email);
        SoftwareAuthenticator phished = new SoftwareAuthenticator();
        phished.origin = "https://exchange.example.net";

        register(session, phished, "Phished").then().statusCode(400)
                .body(containsString("could not be verified for this site")).body(not(containsString(ADDED)));
        assertThat(passkeys(email)).isZero();

        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        register(session, authenticator, "Laptop").then().statusCode(200).body(containsString(ADDED));
        authenticator.origin = "https://exchange.example.net";
        assertRefused(passkeySignIn(authenticator));
        authenticator.origin = "http://localhost:8000";
        authenticator.rpId = "example.net";
        assertRefused(passkeySignIn(authenticator));
    }

    @Test
    void aChallengeAnswersOnceAndOnlyForItsPurpose() {
        String email = account();
        String session = passwordSession(email);
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        register(session, authenticator, "Laptop").then().statusCode(200);

        String csrf = loginCsrf();
        Map<String, String> answer = authenticator.get(signInChallenge(csrf));
        signInWith(csrf, answer).then().statusCode(302);
        // the same answer again: its challenge is spent
        assertRefused(signInWith(csrf, answer));
        // a fresh signature over a spent challenge
        assertRefused(signInWith(csrf, authenticator.get(challengeOf(answer))));

        // a registration challenge does not sign in, and a registration answer cannot be posted twice
        String pageCsrf = passkeysCsrf(session);
        JsonPath options = registrationOptions(session, pageCsrf);
        assertRefused(signInWith(csrf, authenticator.get(options.getString("challenge"))));
        SoftwareAuthenticator second = new SoftwareAuthenticator();
        Map<String, String> fields = new HashMap<>(second.create(registrationOptions(session, pageCsrf)
                .getString("challenge"), options.getString("user.id")));
        postForm("/o/passkeys/register", session, pageCsrf, fields).then().statusCode(200);
        postForm("/o/passkeys/register", session, pageCsrf, fields).then().statusCode(400)
                .body(containsString("expired or was used already"));
    }

    /** The challenge an answer's client data names. */
    private static String challengeOf(Map<String, String> answer) {
        String clientData = new String(java.util.Base64.getUrlDecoder().decode(answer.get("passkey_client_data")),
                java.nio.charset.StandardCharsets.UTF_8);
        return clientData.replaceAll(".*\"challenge\":\"([^\"]+)\".*", "$1");
    }

    @Test
    void aCounterThatGoesBackIsAClonedAuthenticator() {
        String session = passwordSession(account());
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        register(session, authenticator, "Key").then().statusCode(200);
        authenticator.counter = 10;
        passkeySignIn(authenticator).then().statusCode(302);

        authenticator.counter = 5;
        assertRefused(passkeySignIn(authenticator));
        authenticator.counter = 10;
        assertRefused(passkeySignIn(authenticator));
        // the refusals did not move the stored counter: the real authenticator goes on
        authenticator.counter = 11;
        passkeySignIn(authenticator).then().statusCode(302);
    }

    @Test
    void aPasskeyAnswersOnlyForItsOwnAccountAndBelongsToOne() {
        String alice = account();
        String bob = account();
        String aliceSession = passwordSession(alice);
        String bobSession = passwordSession(bob);
        SoftwareAuthenticator alices = new SoftwareAuthenticator();
        SoftwareAuthenticator bobs = new SoftwareAuthenticator();
        register(aliceSession, alices, "Alice's").then().statusCode(200);
        register(bobSession, bobs, "Bob's").then().statusCode(200);

        // Alice's passkey claiming to answer for Bob
        alices.userHandle = bobs.userHandle;
        assertRefused(passkeySignIn(alices));
        // a key of its own under Alice's credential id: the signature does not verify with her public key
        SoftwareAuthenticator forged = new SoftwareAuthenticator().withCredentialIdOf(alices);
        forged.counter = 100;
        assertRefused(passkeySignIn(forged));
        // Bob registering Alice's credential id as his
        register(bobSession, new SoftwareAuthenticator().withCredentialIdOf(alices), "Stolen").then().statusCode(400)
                .body(containsString("registered already"));
        // Bob removing Alice's passkey
        long alicesId = pool.preparedQuery("SELECT p.id FROM identity.passkey p JOIN identity.jhe_user u "
                + "ON u.id = p.user_id WHERE u.email = $1").execute(Tuple.of(alice)).await().indefinitely()
                .iterator().next().getLong(0);
        String csrf = passkeysCsrf(bobSession);
        postForm("/o/passkeys/remove", bobSession, csrf, Map.of("id", Long.toString(alicesId)))
                .then().statusCode(404);
        assertThat(passkeys(alice)).isEqualTo(1);

        alices.userHandle = null;
        Response aliceIn = passkeySignIn(alices);
        aliceIn.then().statusCode(302);
        bobs.counter = 50;
        passkeySignIn(bobs).then().statusCode(302);
    }

    @Test
    void aRemovedPasskeySignsNobodyIn() {
        String email = account();
        String session = passwordSession(email);
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        register(session, authenticator, "Old phone").then().statusCode(200);
        long id = pool.preparedQuery("SELECT p.id FROM identity.passkey p JOIN identity.jhe_user u "
                + "ON u.id = p.user_id WHERE u.email = $1").execute(Tuple.of(email)).await().indefinitely()
                .iterator().next().getLong(0);

        String csrf = passkeysCsrf(session);
        // a form from another site: it cannot know the page's token
        given().contentType("application/x-www-form-urlencoded").cookie(SignInSessions.COOKIE, session)
                .cookie("jhe_csrf", csrf).formParam("csrf_token", "B".repeat(43)).formParam("id", id)
                .when().post("/o/passkeys/remove").then().statusCode(403);
        assertThat(passkeys(email)).isEqualTo(1);
        postForm("/o/passkeys/remove", session, csrf, Map.of("id", Long.toString(id))).then().statusCode(200)
                .body(containsString("was removed")).body(not(containsString("Old phone")));

        assertThat(passkeys(email)).isZero();
        assertRefused(passkeySignIn(authenticator));
        postForm("/o/passkeys/remove", session, csrf, Map.of("id", "not-a-number")).then().statusCode(400);
    }

    @Test
    void anAccountThatRequiresItsPasskeyIsRefusedAPasswordSignInOnceItHasOne() {
        String email = account();
        String session = passwordSession(email);
        String csrf = passkeysCsrf(session);
        postForm("/o/passkeys/require", session, csrf, Map.of("required", "true")).then().statusCode(200)
                .body(containsString("only with a passkey"));
        // no passkey yet: the password still signs in
        passwordSession(email);

        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        register(session, authenticator, "Key").then().statusCode(200);

        String loginCsrf = loginCsrf();
        Map<String, String> fields = new HashMap<>(authorize());
        fields.put("csrf_token", loginCsrf);
        fields.put("email", email);
        fields.put("password", IdentityFixtures.PASSWORD);
        Response refused = postSignIn(loginCsrf, fields);
        refused.then().statusCode(200).body(containsString("signs in with a passkey only"));
        assertThat(refused.getHeader("Location")).isNull();
        // a wrong password is told only that it is wrong
        fields.put("password", "not the password at all");
        postSignIn(loginCsrf, fields).then().statusCode(200).body(containsString("Invalid email or password"));
        form().formParam("grant_type", "password").formParam("client_id", "passkey-app")
                .formParam("username", email).formParam("password", IdentityFixtures.PASSWORD)
                .when().post("/o/token/")
                .then().statusCode(400).body("error", equalTo("invalid_grant"))
                .body("error_description", containsString("passkey"));
        passkeySignIn(authenticator).then().statusCode(302);

        postForm("/o/passkeys/require", session, csrf, Map.of("required", "false")).then().statusCode(200);
        passwordSession(email);
    }

    private long accountId(String email) {
        return pool.preparedQuery("SELECT id FROM identity.jhe_user WHERE email = $1").execute(Tuple.of(email))
                .await().indefinitely().iterator().next().getLong(0);
    }

    /** admin-service says which accounts an organization requires a passkey of. */
    private static void organizationRequires(List<Long> required, List<Long> notRequired) {
        given().auth().oauth2(Tokens.serviceToken()).contentType("application/json")
                .body(Map.of("reason", "organization", "required", required, "notRequired", notRequired))
                .when().put("/internal/accounts/passkey-requirements")
                .then().statusCode(204);
    }

    private void assertPasswordRefused(String email) {
        String loginCsrf = loginCsrf();
        Map<String, String> fields = new HashMap<>(authorize());
        fields.put("csrf_token", loginCsrf);
        fields.put("email", email);
        fields.put("password", IdentityFixtures.PASSWORD);
        postSignIn(loginCsrf, fields).then().statusCode(200).body(containsString("signs in with a passkey only"));
    }

    @Test
    void anOrganizationsRequirementRefusesThePasswordOnceThereIsAPasskeyAndLeavesThePersonsOwnChoice() {
        String email = account();
        long id = accountId(email);
        String session = passwordSession(email);
        organizationRequires(List.of(id), List.of());
        given().cookie(SignInSessions.COOKIE, session).when().get("/o/passkeys")
                .then().statusCode(200).body(containsString("Your organization requires you to sign in with a passkey"));
        // no passkey yet: the password still signs in, so that the person can add one
        passwordSession(email);
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        register(session, authenticator, "Key").then().statusCode(200);
        assertPasswordRefused(email);
        passkeySignIn(authenticator).then().statusCode(302);

        // the person's own choice as well; the organization stops requiring it: the person's choice still holds
        String csrf = passkeysCsrf(session);
        postForm("/o/passkeys/require", session, csrf, Map.of("required", "true")).then().statusCode(200);
        organizationRequires(List.of(), List.of(id));
        assertPasswordRefused(email);
        given().cookie(SignInSessions.COOKIE, session).when().get("/o/passkeys")
                .then().statusCode(200).body(not(containsString("Your organization requires")));
        // and the other way round: the person allows the password, the organization requires a passkey again
        postForm("/o/passkeys/require", session, csrf, Map.of("required", "false")).then().statusCode(200);
        passwordSession(email);
        organizationRequires(List.of(id), List.of());
        assertPasswordRefused(email);
        // repeating it changes nothing; an id of no account is skipped
        organizationRequires(List.of(id, 987_654_321L), List.of());
        assertPasswordRefused(email);
    }

    @Test
    void thePasskeyRequirementEndpointChecksItsBodyAndIsForServicesOnly() {
        given().auth().oauth2(Tokens.serviceToken()).contentType("application/json")
                .body(Map.of("reason", "person", "required", List.of(1)))
                .when().put("/internal/accounts/passkey-requirements")
                .then().statusCode(400).body("errors", hasKey("reason"));
        given().auth().oauth2(Tokens.serviceToken()).contentType("application/json")
                .body(Map.of("reason", "organization", "required", List.of(5), "notRequired", List.of(5)))
                .when().put("/internal/accounts/passkey-requirements")
                .then().statusCode(400).body("errors", hasKey("notRequired"));
        given().auth().oauth2(Tokens.serviceToken()).contentType("application/json")
                .body("{\"reason\": \"organization\", \"required\": [\"5\"]}")
                .when().put("/internal/accounts/passkey-requirements")
                .then().statusCode(400);
        given().auth().oauth2(Tokens.serviceToken()).contentType("application/json")
                .body(Map.of("reason", "organization", "required", List.of(-3)))
                .when().put("/internal/accounts/passkey-requirements")
                .then().statusCode(400).body("errors", hasKey("required"));
        String email = account();
        given().auth().oauth2(Tokens.password("passkey-app", email).getString("access_token")).contentType("application/json")
                .body(Map.of("reason", "organization", "required", List.of(accountId(email))))
                .when().put("/internal/accounts/passkey-requirements")
                .then().statusCode(403);
    }


    private static String newAddress() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        return "10.77." + random.nextInt(256) + "." + random.nextInt(1, 255);
    }

    private static void assertLocked(Response answer) {
        answer.then().statusCode(429).header("Retry-After", matchesPattern("[1-9][0-9]*"))
                .body(containsString("Too many failed sign-in attempts"));
        assertThat(answer.getHeader("Location")).isNull();
        assertThat(answer.getCookie(SignInSessions.COOKIE)).isNull();
    }

    @Test
    void failedPasskeySignInsLockTheAccountLikeFailedPasswords() {
        String email = account();
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        register(passwordSession(email), authenticator, "Key").then().statusCode(200);
        // a key of its own under the account's credential id, from ever new addresses: 5 refusals lock the account
        SoftwareAuthenticator forged = new SoftwareAuthenticator().withCredentialIdOf(authenticator);
        for (int i = 0; i < 5; i++) {
            address = newAddress();
            forged.counter = 100 + i;
            assertRefused(passkeySignIn(forged));
        }
        address = newAddress();
        assertLocked(passkeySignIn(authenticator));
        // the same lock as a password's: the password is refused too, even the right one
        String loginCsrf = loginCsrf();
        Map<String, String> fields = new HashMap<>(authorize());
        fields.put("csrf_token", loginCsrf);
        fields.put("email", email);
        fields.put("password", IdentityFixtures.PASSWORD);
        assertLocked(postSignIn(loginCsrf, fields));
    }

    @Test
    void failedPasskeySignInsLockTheirAddressAndASuccessResetsTheAccountsCount() {
        String email = account();
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        register(passwordSession(email), authenticator, "Key").then().statusCode(200);
        SoftwareAuthenticator forged = new SoftwareAuthenticator().withCredentialIdOf(authenticator);
        for (int i = 0; i < 4; i++) {
            address = newAddress();
            forged.counter = 100 + i;
            assertRefused(passkeySignIn(forged));
        }
        authenticator.counter = 10;
        passkeySignIn(authenticator).then().statusCode(302);
        for (int i = 0; i < 4; i++) {
            address = newAddress();
            forged.counter = 200 + i;
            assertRefused(passkeySignIn(forged));
        }
        authenticator.counter = 20;
        passkeySignIn(authenticator).then().statusCode(302);

        // passkeys nobody registered, all from one address: 20 refusals lock the address for everyone
        address = newAddress();
        for (int i = 0; i < 20; i++) {
            assertRefused(passkeySignIn(new SoftwareAuthenticator()));
        }
        authenticator.counter = 30;
        assertLocked(passkeySignIn(authenticator));
        address = newAddress();
        passkeySignIn(authenticator).then().statusCode(302);
    }

}
