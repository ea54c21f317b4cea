package org.jupyterhealth.exchange.systemtests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jupyterhealth.exchange.common.testing.TestMailServer;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * A clinic runs its own staff accounts, through the gateway and the stack's mail server: a superuser creates a
 * practitioner, who receives the activation e-mail, chooses a password, signs in with the code flow, changes the
 * password, forgets it, and resets it with the e-mailed link; and a person who only asks for a reset link goes the
 * same way. Every message is read back from the mail server, and every link is followed as a browser would.
 */
@Order(5)
@ExtendWith(SystemStack.class)
class StaffAccountsIT {
    private static final String CALLBACK = SystemStack.BASE_URL + "/auth/callback";
    private static final Pattern ACTIVATION = Pattern.compile("https?://\\S+(/o/activate\\?token=[A-Za-z0-9_-]{43})");
    private static final Pattern RESET = Pattern.compile("https?://\\S+(/o/reset\\?token=[A-Za-z0-9_-]{43})");
    private static final String FIRST = "morning fog over the river";
    private static final String SECOND = "copper kettles on a shelf";
    private static final String THIRD = "seven herons in the reeds";

    @Test
    void aPractitionerCreatedByASuperuserActivatesSignsInChangesAndResetsThePassword() {
        String email = "staff-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        String admin = EndToEndIT.passwordToken("admin@example.com");

        // the superuser creates the practitioner: e-mail is on, so the answer holds no link
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"telecomEmail\": \"" + email + "\", \"nameFamily\": \"Nguyen\", \"nameGiven\": \"Ana\", "
                        + "\"organizationId\": 20003}")
                .when().post("/api/v1/practitioners")
                .then().statusCode(201).body("telecomEmail", equalTo(email))
                .body("activationExpiresAt", notNullValue());

        // the activation e-mail, its link, the password chosen on identity-service's page
        TestMailServer.Received activation = StackMail.awaitMessages(email, 1).get(0);
        assertThat(activation.subject()).isEqualTo("Activate your JupyterHealth Exchange account");
        String activate = linkIn(activation, ACTIVATION);
        choosePassword(activate, "/o/activate", FIRST).then().statusCode(200);

        // the practitioner signs in with the code flow and is who the superuser created
        String access = codeFlow(email, FIRST);
        given().auth().oauth2(access).when().get("/api/v1/users/profile")
                .then().statusCode(200).body("email", equalTo(email));

        // changes the password (the current one required); the old one no longer signs in
        given().auth().oauth2(access).contentType(ContentType.JSON)
                .body("{\"current_password\": \"not my password\", \"new_password\": \"" + SECOND + "\"}")
                .when().post("/o/password").then().statusCode(400);
        given().auth().oauth2(access).contentType(ContentType.JSON)
                .body("{\"current_password\": \"" + FIRST + "\", \"new_password\": \"" + SECOND + "\"}")
                .when().post("/o/password").then().statusCode(204);
        signInPage(email, FIRST).then().statusCode(200).body(containsString("Invalid email or password"));
        codeFlow(email, SECOND);

        // forgets it: asks for a link, reads the e-mail, chooses a new password, signs in with it
        forgot(email).then().statusCode(200).body(containsString("If an account uses this address"));
        List<TestMailServer.Received> mails = StackMail.awaitMessages(email, 2);
        assertThat(mails.get(1).subject()).isEqualTo("Reset your JupyterHealth Exchange password");
        String reset = linkIn(mails.get(1), RESET);
        choosePassword(reset, "/o/reset", THIRD).then().statusCode(200);
        // the link worked once
        given().redirects().follow(false).when().get(reset).then().statusCode(410);
        signInPage(email, SECOND).then().statusCode(200).body(containsString("Invalid email or password"));
        String afterReset = codeFlow(email, THIRD);
        given().auth().oauth2(afterReset).when().get("/api/v1/users/profile")
                .then().statusCode(200).body("email", equalTo(email));
    }

    @Test
    void aPractitionerAddsAPasskeyAndSignsInWithItInsteadOfThePassword() {
        String email = "passkey-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        String admin = EndToEndIT.passwordToken("admin@example.com");
        long account = ((Number) given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"telecomEmail\": \"" + email + "\", \"organizationId\": 20003}")
                .when().post("/api/v1/practitioners").then().statusCode(201)
                .extract().path("jheUserId")).longValue();
        choosePassword(linkIn(StackMail.awaitMessages(email, 1).get(0), ACTIVATION), "/o/activate", FIRST)
                .then().statusCode(200);
        Response signedIn = signInPage(email, FIRST);
        signedIn.then().statusCode(302);
        String session = signedIn.getCookie("jhe_session");

        // the passkeys page of the signed-in browser: a registration challenge, the authenticator's answer
        Response page = given().cookie("jhe_session", session).when().get("/o/passkeys");
        page.then().statusCode(200).body(containsString(email));
        String csrf = page.getCookie("jhe_csrf");
        io.restassured.path.json.JsonPath options = given().cookie("jhe_session", session).cookie("jhe_csrf", csrf)
                .header("X-CSRF-Token", csrf).when().post("/o/passkeys/options")
                .then().statusCode(200).extract().jsonPath();
        assertThat(options.getString("rp.id")).isEqualTo("localhost");
        SoftPasskey passkey = new SoftPasskey();
        given().contentType("application/x-www-form-urlencoded").cookie("jhe_session", session)
                .cookie("jhe_csrf", csrf).formParam("csrf_token", csrf).formParam("label", "Clinic laptop")
                .formParams(passkey.create(options.getString("challenge"), options.getString("user.id")))
                .when().post("/o/passkeys/register")
                .then().statusCode(200).body(containsString("Clinic laptop"));

        // a fresh browser signs in with the passkey, no address or password typed, and gets its code
        Map<String, String> authorize = authorize("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        Response login = given().redirects().follow(false).queryParams(authorize).when().get("/o/authorize/");
        login.then().statusCode(200).body(containsString("Sign in with a passkey"));
        String loginCsrf = login.getCookie("jhe_csrf");
        String challenge = given().cookie("jhe_csrf", loginCsrf).header("X-CSRF-Token", loginCsrf)
                .when().post("/o/authorize/passkey").then().statusCode(200).extract().path("challenge");
        Map<String, String> fields = new HashMap<>(authorize);
        fields.put("csrf_token", loginCsrf);
        fields.putAll(passkey.get(challenge));
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie("jhe_csrf", loginCsrf).formParams(fields).when().post("/o/authorize/")
                .then().statusCode(302).header("Location", startsWith(CALLBACK + "?code="))
                .cookie("jhe_session", notNullValue());
        // the same answer again is refused: its challenge is spent
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie("jhe_csrf", loginCsrf).formParams(fields).when().post("/o/authorize/")
                .then().statusCode(200).body(containsString("could not sign you in"));

        // a superuser requires passkeys of a clinic's staff; she joins it: her password no longer signs her in
        long clinic = ((Number) given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\": \"Passkey clinic " + UUID.randomUUID().toString().substring(0, 8)
                        + "\", \"type\": \"prov\", \"requirePasskey\": true}")
                .when().post("/api/v1/organizations").then().statusCode(201).body("requirePasskey", equalTo(true))
                .extract().path("id")).longValue();
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"jheUserId\": " + account + ", \"organizationPartitionerRole\": \"member\"}")
                .when().post("/api/v1/organizations/" + clinic + "/user").then().statusCode(201);
        signInPage(email, FIRST).then().statusCode(200).body(containsString("signs in with a passkey only"));
        given().cookie("jhe_session", session).when().get("/o/passkeys")
                .then().statusCode(200).body(containsString("Your organization requires"));
        // the clinic stops requiring it: the password signs her in again
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"requirePasskey\": false}")
                .when().patch("/api/v1/organizations/" + clinic).then().statusCode(200)
                .body("requirePasskey", equalTo(false));
        signInPage(email, FIRST).then().statusCode(302);
    }

    @Test
    void aResetForAnAddressWithoutAnAccountLooksTheSameAndSendsNothing() throws InterruptedException {
        String nobody = "nobody-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";

        forgot(nobody).then().statusCode(200).body(containsString("If an account uses this address"));

        Thread.sleep(3000);
        assertThat(StackMail.messagesTo(nobody)).isEmpty();
    }

    /** The path and query of the one link of this kind in the message's text (the host is the public URL's). */
    private static String linkIn(TestMailServer.Received mail, Pattern link) {
        Matcher matcher = link.matcher(mail.text());
        assertThat(matcher.find()).as("a link in: %s", mail.text()).isTrue();
        assertThat(matcher.group()).startsWith(SystemStack.BASE_URL);
        return matcher.group(1);
    }

    /** Opens a set-password page from its link and submits the password twice, with the page's CSRF token. */
    private static Response choosePassword(String link, String action, String password) {
        Response page = given().redirects().follow(false).when().get(link);
        page.then().statusCode(200).body(containsString("password"));
        String csrf = page.getCookie("jhe_csrf");
        String token = link.substring(link.indexOf("token=") + "token=".length());
        return given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie("jhe_csrf", csrf).formParam("csrf_token", csrf).formParam("token", token)
                .formParam("password", password).formParam("password_confirmation", password)
                .when().post(action);
    }

    private static Response forgot(String email) {
        String csrf = given().when().get("/o/forgot").then().statusCode(200).extract().cookie("jhe_csrf");
        return given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie("jhe_csrf", csrf).formParam("csrf_token", csrf).formParam("email", email)
                .when().post("/o/forgot");
    }

    private static Map<String, String> authorize(String challenge) {
        Map<String, String> authorize = new LinkedHashMap<>();
        authorize.put("response_type", "code");
        authorize.put("client_id", "jhe-admin-ui");
        authorize.put("redirect_uri", CALLBACK);
        authorize.put("code_challenge", challenge);
        authorize.put("code_challenge_method", "S256");
        authorize.put("scope", "openid read write");
        authorize.put("state", "staff");
        return authorize;
    }

    /** The sign-in page's answer to the e-mail and password (a fresh browser: no session). */
    private static Response signInPage(String email, String password) {
        return signIn(authorize("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"), email, password);
    }

    private static Response signIn(Map<String, String> authorize, String email, String password) {
        Response page = given().redirects().follow(false).queryParams(authorize).when().get("/o/authorize/");
        page.then().statusCode(200);
        String csrf = page.getCookie("jhe_csrf");
        Map<String, String> fields = new HashMap<>(authorize);
        fields.put("csrf_token", csrf);
        fields.put("email", email);
        fields.put("password", password);
        return given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookie("jhe_csrf", csrf).formParams(fields).when().post("/o/authorize/");
    }

    /** Signs in with the PKCE code flow on the sign-in page: the access token. */
    private static String codeFlow(String email, String password) {
        try {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
            Response redirect = signIn(authorize(challenge), email, password);
            redirect.then().statusCode(302).header("Location", startsWith(CALLBACK + "?code="));
            Map<String, String> answer = new HashMap<>();
            for (String pair : URI.create(redirect.getHeader("Location")).getRawQuery().split("&")) {
                String[] parts = pair.split("=", 2);
                answer.put(parts[0], URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
            }
            assertThat(answer).containsEntry("state", "staff");
            return given().contentType("application/x-www-form-urlencoded")
                    .formParam("grant_type", "authorization_code").formParam("code", answer.get("code"))
                    .formParam("redirect_uri", CALLBACK).formParam("client_id", "jhe-admin-ui")
                    .formParam("code_verifier", verifier)
                    .when().post("/o/token/")
                    .then().statusCode(200).extract().path("access_token");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
