package org.jupyterhealth.exchange.console;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.jupyterhealth.exchange.console.api.SignedInUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The console's server side against stand-ins of identity-service and the APIs: the sign-in (authorization code with
 * PKCE, the tokens kept out of the browser's reach), the user's token on every API call, the pages by role, CSRF on
 * changes, and the error pages.
 */
@QuarkusTest
@QuarkusTestResource(StandIns.class)
class ConsoleTest {
    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    @Inject
    SignedInUser users;

    @BeforeEach
    void reset() {
        StandIns.role = "manager";
        StandIns.adminDown = false;
        StandIns.consentRecorded = true;
        StandIns.currentOrganization = 20003;
        StandIns.user = "mary";
        StandIns.auditEmpty = false;
        StandIns.dataSourcesEmpty = false;
        StandIns.bulkObservations = 2500;
        StandIns.bulkFailsAt = -1;
        StandIns.SEEN.clear();
        StandIns.APPLIED.clear();
        forgetTheUser();
    }

    /**
     * The stand-in API answers for another user or role under the same token: the console forgets what it kept of
     * the user (SignedInUser), as a new sign-in (a new token) or the end of the time kept would.
     */
    private void forgetTheUser() {
        users.forgetAll();
    }

    @Test
    void aVisitorIsSentToTheSignInPageWithPkceAsTheConsolesClient() {
        Response answer = given().redirects().follow(false).when().get("/console/organizations");

        assertThat(answer.statusCode()).isEqualTo(302);
        Map<String, String> query = query(answer.header("Location"));
        assertThat(answer.header("Location")).startsWith("http://localhost:8000/o/authorize/?");
        assertThat(query).containsEntry("client_id", "jhe-console").containsEntry("response_type", "code")
                .containsEntry("code_challenge_method", "S256").containsKey("code_challenge").containsKey("state");
        assertThat(query.get("redirect_uri")).endsWith("/console/callback");
        assertThat(query.get("scope").split(" ")).contains("openid", "read", "write");
        assertThat(StandIns.SEEN).noneMatch(s -> s.path().startsWith("/api/"));
    }

    @Test
    void signingInExchangesTheCodeWithSecretAndVerifierAndKeepsTheTokensOutOfTheBrowsersReach() {
        Map<String, String> session = signIn();

        var token = StandIns.SEEN.stream().filter(s -> s.path().equals("/o/token/")).findFirst().orElseThrow();
        assertThat(token.body()).contains("grant_type=authorization_code").contains("code=the-code")
                .contains("code_verifier=");
        assertThat(token.authorization() + token.body()).as("the client authenticates with its secret")
                .containsAnyOf("Basic ", "client_secret=");
        // no cookie holds a token readably: each is encrypted, and none of the token's parts appear in it
        String[] parts = StandIns.ACCESS_TOKEN.split("\\.");
        session.values().forEach(value -> assertThat(value).doesNotContain(parts[1]).doesNotContain(parts[2])
                .doesNotContain("refresh-1"));
    }

    @Test
    void sessionCookiesAreHttpOnly() {
        Response callback = callback();
        assertThat(callback.headers().getValues("Set-Cookie")).isNotEmpty()
                .filteredOn(c -> c.startsWith("q_session")).isNotEmpty()
                .allSatisfy(c -> assertThat(c).containsIgnoringCase("HttpOnly"));
    }

    @Test
    void everyPageAsksTheApisWithTheSignedInUsersToken() {
        Map<String, String> session = signIn();
        StandIns.SEEN.clear();

        given().cookies(session).when().get("/console/").then().statusCode(200)
                .body(containsString("Mary"), containsString("Lifespan Lab"));
        given().cookies(session).when().get("/console/patients/40001").then().statusCode(200)
                .body(containsString("Park, Peter"), containsString("Blood pressure"), containsString("consented"),
                        containsString("Lifespan Study on BP"));

        assertThat(StandIns.SEEN).filteredOn(s -> s.path().startsWith("/api/") || s.path().startsWith("/fhir/"))
                .isNotEmpty().allSatisfy(s -> assertThat(s.authorization()).isEqualTo("Bearer " + StandIns.ACCESS_TOKEN));
        assertThat(StandIns.SEEN).anyMatch(s -> s.path().equals("/fhir/r5/Observation")
                && s.query().contains("patient=40001"));
    }

    @Test
    void thePatientListPagesThroughTheApi() {
        Map<String, String> session = signIn();
        StandIns.SEEN.clear();

        given().cookies(session).when().get("/console/organizations/20003/patients?page=2").then().statusCode(200)
                .body(containsString("41 patients"), containsString("page 2 of 3"), containsString("Park, Peter"),
                        containsString("page=1"), containsString("page=3"));
        assertThat(StandIns.SEEN).anyMatch(s -> s.path().equals("/api/v1/patients")
                && s.query().contains("organization_id=20003") && s.query().contains("limit=20")
                && s.query().contains("offset=20"));
        given().cookies(session).queryParam("q", "Peter P").queryParam("sort", "-name")
                .when().get("/console/organizations/20003/patients").then()
                .statusCode(200).body(containsString("matching “Peter P”"), containsString("aria-sort=\"descending\""),
                        containsString("page=2&amp;q=Peter+P&amp;sort=-name"));
        assertThat(StandIns.SEEN).anyMatch(s -> s.path().equals("/api/v1/patients")
                && URLDecoder.decode(s.query(), StandardCharsets.UTF_8).contains("search=Peter P")
                && s.query().contains("ordering=-name"));
        for (String bad : new String[] { "sort=age", "sort=--name", "q=" + "x".repeat(101), "q=a%01b" }) {
            given().cookies(session).urlEncodingEnabled(false)
                    .when().get("/console/organizations/20003/patients?" + bad).then().statusCode(400);
        }
        // htmx asks for the table alone
        given().cookies(session).header("HX-Request", "true").when().get("/console/organizations/20003/patients")
                .then().statusCode(200).body(not(containsString("<html")), containsString("Park, Peter"));
    }

    @Test
    void patientsOpensTheListOfTheUsersCurrentOrganizationWhileTheyAreStillInIt() {
        Map<String, String> session = signIn();

        given().cookies(session).redirects().follow(false).when().get("/console/patients").then().statusCode(303)
                .header("Location", containsString("/console/organizations/20003/patients"));
        // an organization the user has left since: their first one
        StandIns.currentOrganization = 20099;
        given().cookies(session).redirects().follow(false).when().get("/console/patients").then().statusCode(303)
                .header("Location", containsString("/console/organizations/20003/patients"));
    }

    @Test
    void aViewerSeesNoWriteControlAndAManagerDoes() {
        Map<String, String> session = signIn();

        given().cookies(session).when().get("/console/organizations/20003").then().statusCode(200)
                .body(containsString("viewer_victor@example.com"), containsString("method=\"post\""));
        StandIns.role = "viewer";
        forgetTheUser();
        given().cookies(session).when().get("/console/organizations/20003").then().statusCode(200)
                .body(containsString("viewer_victor@example.com"), not(containsString("<form")),
                        not(containsString("<button")));
    }

    @Test
    void aChangeNeedsTheFormsCsrfTokenAndReachesTheApiWithTheUsersToken() {
        Map<String, String> session = signIn();
        Response page = given().cookies(session).when().get("/console/organizations/20003");
        Matcher csrf = CSRF.matcher(page.body().asString());
        assertThat(csrf.find()).as("the form carries a CSRF token").isTrue();
        Map<String, String> cookies = new HashMap<>(session);
        cookies.putAll(page.cookies());

        given().cookies(session).redirects().follow(false).formParam("userId", "10004")
                .when().post("/console/organizations/20003/members/remove").then().statusCode(400);
        assertThat(StandIns.SEEN).noneMatch(s -> s.method().equals("DELETE"));

        given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf.group(1))
                .formParam("userId", "10004")
                .when().post("/console/organizations/20003/members/remove").then().statusCode(303)
                .header("Location", containsString("/console/organizations/20003?notice=member-removed"));
        var removal = StandIns.SEEN.stream().filter(s -> s.method().equals("DELETE")).findFirst().orElseThrow();
        assertThat(removal.path()).isEqualTo("/api/v1/organizations/20003/remove_user");
        assertThat(removal.body()).contains("\"jheUserId\":10004");
        assertThat(removal.authorization()).isEqualTo("Bearer " + StandIns.ACCESS_TOKEN);
    }

    /**
     * Every change the console offers, with a form the stand-in admin API carries out for a manager of Lifespan Lab
     * (the data sources' registry is a superuser's: the API refuses Mary those whatever her role).
     */
    private static final List<Map.Entry<String, Map<String, String>>> CHANGES = List.of(
            Map.entry("/console/organizations/20003/members", Map.of("email", "manager_megan@example.com",
                    "role", "viewer")),
            Map.entry("/console/organizations/20003/members/remove", Map.of("userId", "10004")),
            Map.entry("/console/organizations/20003/patients", Map.of("email", "new@example.com")),
            Map.entry("/console/patients/40001/consents", Map.of("studyId", "30001", "codingSystem",
                    "https://w3id.org/openmhealth", "codingCode", "omh:blood-pressure:4.0", "consented", "false")),
            Map.entry("/console/patients/40001/invitation", Map.of("sendEmail", "on")),
            Map.entry("/console/studies/30001/patients", Map.of("patient", "ll_patient_peter@example.com")),
            Map.entry("/console/studies/30001/patients/remove", Map.of("patientId", "40001")),
            Map.entry("/console/studies/30001/scopes", Map.of("scopeCodeId", "50005")),
            Map.entry("/console/studies/30001/scopes/remove", Map.of("scopeCodeId", "50002")),
            Map.entry("/console/studies/30001/data-sources", Map.of("dataSourceId", "70002")),
            Map.entry("/console/studies/30001/data-sources/remove", Map.of("dataSourceId", "70001")),
            Map.entry("/console/studies/30001/clients", Map.of("clientId", "3")),
            Map.entry("/console/studies/30001/clients/remove", Map.of("clientId", "2")),
            Map.entry("/console/admin/data-sources", Map.of("name", "Oura", "type", "personal_device")),
            Map.entry("/console/admin/data-sources/remove", Map.of("dataSourceId", "70002")),
            Map.entry("/console/admin/settings/1", Map.of("value", "https://new.example")),
            Map.entry("/console/admin/clients", Map.of("name", "Cardio", "clientId", "cardio-app", "invitationUrl",
                    "https://cardio.example/launch?code=CODE")),
            Map.entry("/console/admin/clients/2", Map.of("name", "CommonHealth 2", "invitationUrl",
                    "https://app.example/v2?code=CODE")),
            Map.entry("/console/admin/clients/2/data-sources", Map.of("dataSourceId", "70002")),
            Map.entry("/console/admin/clients/2/data-sources/remove", Map.of("dataSourceId", "70001")),
            Map.entry("/console/admin/clients/2/delete", Map.of("confirm", "yes")),
            Map.entry("/console/admin/practitioners", Map.of("email", "nina@example.com")),
            Map.entry("/console/admin/practitioners/80001", Map.of("nameGiven", "Maria", "nameFamily", "Mayer")));
    /** The changes at the end of {@link #CHANGES} that are a superuser's only. */
    private static final int SUPERUSERS_CHANGES = 10;

    @Test
    void aViewerWhoPostsAnyChangeDirectlyIsRefusedWithThePageSayingSoAndNothingChanges() {
        Map<String, String> session = signIn();
        Response page = given().cookies(session).when().get("/console/organizations/20003");
        Matcher csrf = CSRF.matcher(page.body().asString());
        assertThat(csrf.find()).isTrue();
        Map<String, String> cookies = new HashMap<>(session);
        cookies.putAll(page.cookies());
        // the same forms from a manager are carried out: each address is one the API changes something for
        for (var change : CHANGES.subList(0, CHANGES.size() - SUPERUSERS_CHANGES)) {
            int before = StandIns.APPLIED.size();
            int status = given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf.group(1))
                    .formParams(change.getValue()).when().post(change.getKey()).statusCode();
            assertThat(status).as(change.getKey()).isIn(200, 303);
            assertThat(StandIns.APPLIED).as(change.getKey()).hasSize(before + 1);
        }

        StandIns.role = "viewer";
        forgetTheUser();
        StandIns.APPLIED.clear();
        for (var change : CHANGES) {
            StandIns.SEEN.clear();
            Response refused = given().cookies(cookies).redirects().follow(false)
                    .formParam("csrf-token", csrf.group(1)).formParams(change.getValue()).when().post(change.getKey());
            assertThat(refused.statusCode()).as(change.getKey()).isEqualTo(403);
            assertThat(refused.header("Location")).as(change.getKey()).isNull();
            assertThat(refused.body().asString()).as(change.getKey()).contains("No access")
                    .doesNotContain("notice=");
            // the refused change was asked at most once (a setting is refused its read first), and nothing else was
            // tried in its place
            assertThat(StandIns.SEEN).as(change.getKey())
                    .filteredOn(s -> !s.method().equals("GET") || s.path().endsWith("/invitation_link"))
                    .hasSizeLessThanOrEqualTo(1);
        }
        assertThat(StandIns.APPLIED).isEmpty();
    }

    @Test
    void everyChangeWithoutItsCsrfTokenOrWithAWrongOneIsRefusedBeforeAnyServiceIsAsked() {
        Map<String, String> session = signIn();
        Response page = given().cookies(session).when().get("/console/organizations/20003");
        Matcher csrf = CSRF.matcher(page.body().asString());
        assertThat(csrf.find()).isTrue();
        Map<String, String> cookies = new HashMap<>(session);
        cookies.putAll(page.cookies());
        assertThat(session).doesNotContainKey("jhe-console-csrf");
        assertThat(cookies).containsKey("jhe-console-csrf");
        String other = csrf.group(1).substring(1) + (csrf.group(1).charAt(0) == 'A' ? 'B' : 'A');
        StandIns.SEEN.clear();

        for (var change : CHANGES) {
            // no token and no cookie (a form posted from another site), the cookie without the form's token, and
            // a token that is not the cookie's
            given().cookies(session).redirects().follow(false).formParams(change.getValue())
                    .when().post(change.getKey()).then().statusCode(400);
            given().cookies(cookies).redirects().follow(false).formParams(change.getValue())
                    .when().post(change.getKey()).then().statusCode(400);
            given().cookies(cookies).redirects().follow(false).formParam("csrf-token", other)
                    .formParams(change.getValue()).when().post(change.getKey()).then().statusCode(400);
            given().cookies(session).redirects().follow(false).formParam("csrf-token", csrf.group(1))
                    .formParams(change.getValue()).when().post(change.getKey()).then().statusCode(400);
        }
        assertThat(StandIns.SEEN).as("no service is asked anything").noneMatch(s -> s.path().startsWith("/api/")
                || s.path().startsWith("/fhir/"));
        assertThat(StandIns.APPLIED).isEmpty();
    }

    @Test
    void whileTheUsersProfileIsKeptThePatientListAsksTheAdminApiOnlyForItsPatients() {
        Map<String, String> session = signIn();
        given().cookies(session).when().get("/console/organizations/20003/patients").then().statusCode(200);
        StandIns.SEEN.clear();

        given().cookies(session).when().get("/console/organizations/20003/patients?page=2").then().statusCode(200)
                .body(containsString("Mary"), containsString("Lifespan Lab"), containsString("Add a patient"));
        assertThat(StandIns.SEEN).extracting(s -> s.method() + " " + s.path())
                .containsExactly("GET /api/v1/patients");
        // the other pages: what the page itself shows, not the user again
        StandIns.SEEN.clear();
        given().cookies(session).when().get("/console/patients/40001").then().statusCode(200);
        assertThat(StandIns.SEEN).extracting(s -> s.method() + " " + s.path()).containsExactlyInAnyOrder(
                "GET /api/v1/patients/40001", "GET /api/v1/patients/40001/consents", "GET /fhir/r5/Observation");
        StandIns.SEEN.clear();
        given().cookies(session).when().get("/console/organizations/20003").then().statusCode(200);
        assertThat(StandIns.SEEN).extracting(s -> s.method() + " " + s.path()).containsExactlyInAnyOrder(
                "GET /api/v1/organizations/20003/users", "GET /api/v1/organizations/20003/studies");

        // a change of the user's own (here: leaving the organization's viewer out) reads them again: a role changed
        // through the console shows on the next page
        Response page = given().cookies(session).when().get("/console/organizations/20003");
        Matcher csrf = CSRF.matcher(page.body().asString());
        assertThat(csrf.find()).isTrue();
        Map<String, String> cookies = new HashMap<>(session);
        cookies.putAll(page.cookies());
        given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf.group(1))
                .formParam("userId", "10004").when().post("/console/organizations/20003/members/remove").then()
                .statusCode(303);
        StandIns.role = "viewer";
        StandIns.SEEN.clear();
        given().cookies(session).when().get("/console/organizations/20003/patients").then().statusCode(200)
                .body(not(containsString("Add a patient")));
        assertThat(StandIns.SEEN).extracting(s -> s.method() + " " + s.path()).containsExactlyInAnyOrder(
                "GET /api/v1/users/profile", "GET /api/v1/users/organizations", "GET /api/v1/patients");
    }

    @Test
    void aCsvWhoseApiPagingFailsMidWayEndsAsAFailedDownloadNotAShorterFile() throws Exception {
        Map<String, String> session = signIn();
        // the first two pages are read and sent; the third is the FHIR API's 500
        StandIns.bulkFailsAt = 2000;
        StandIns.SEEN.clear();
        String cookies = String.join("; ", session.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .toList());
        var client = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
                .build();
        var request = java.net.http.HttpRequest.newBuilder(URI.create("http://localhost:"
                + io.restassured.RestAssured.port + "/console/patients/40003/observations/csv?code=omh:heart-rate:2.0"
                + "&from=2024-06-01&to=2024-06-03")).header("Cookie", cookies)
                .timeout(java.time.Duration.ofSeconds(60)).build();

        // the answer's head (200, an attachment) has gone before the failure: the connection is broken off, so
        // that the browser reports a failed download instead of keeping 2,000 of 2,500 rows as the whole file
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.send(request,
                java.net.http.HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class)
                .as("broken off, not left hanging").isNotInstanceOf(java.net.http.HttpTimeoutException.class);
        assertThat(StandIns.SEEN).filteredOn(s -> s.path().equals("/fhir/r5/Observation"))
                .extracting(s -> parameters(s.query()).get("_cursor")).containsExactly(null, "1000", "2000");

        // the same download without the failure ends complete, as the control
        StandIns.bulkFailsAt = -1;
        var complete = client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(complete.statusCode()).isEqualTo(200);
        assertThat(complete.body().split("\r\n")).hasSize(2501);
    }

    @Test
    void aManagerAddsAPractitionerByEmailAndWrongFieldsAreShownNextToThem() {
        Map<String, String> session = signIn();
        Response page = given().cookies(session).when().get("/console/organizations/20003");
        assertThat(page.body().asString()).contains("action=\"/console/organizations/20003/members\"",
                "<label for=\"member-email\">", "<label for=\"member-role\">");
        Matcher csrf = CSRF.matcher(page.body().asString());
        assertThat(csrf.find()).isTrue();
        Map<String, String> cookies = new HashMap<>(session);
        cookies.putAll(page.cookies());
        StandIns.SEEN.clear();

        given().cookies(session).redirects().follow(false).formParam("email", "manager_megan@example.com")
                .formParam("role", "viewer").when().post("/console/organizations/20003/members").then().statusCode(400);
        assertThat(StandIns.SEEN).noneMatch(s -> s.method().equals("POST"));

        given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf.group(1))
                .formParam("email", " manager_megan@example.com ").formParam("role", "viewer")
                .when().post("/console/organizations/20003/members").then().statusCode(303)
                .header("Location", containsString("/console/organizations/20003?notice=member-added"));
        assertThat(StandIns.SEEN).filteredOn(s -> s.method().equals("POST")).singleElement().satisfies(s -> {
            assertThat(s.path()).isEqualTo("/api/v1/organizations/20003/user");
            assertThat(s.body()).contains("\"jheUserId\":10003", "\"organizationPartitionerRole\":\"viewer\"");
            assertThat(s.authorization()).isEqualTo("Bearer " + StandIns.ACCESS_TOKEN);
        });

        StandIns.SEEN.clear();
        given().cookies(cookies).formParam("csrf-token", csrf.group(1)).formParam("email", "not an address")
                .formParam("role", "owner").when().post("/console/organizations/20003/members").then().statusCode(400)
                .body(containsString("id=\"email-error\""), containsString("such as name@example.org"),
                        containsString("aria-describedby=\"email-error\""), containsString("id=\"role-error\""),
                        containsString("value=\"not an address\""), containsString("viewer_victor@example.com"));
        assertThat(StandIns.SEEN).noneMatch(s -> s.path().contains("search_by_email") || s.method().equals("POST"));
        for (String nobody : new String[] { "nobody@example.com", "ll_patient_peter@example.com" }) {
            given().cookies(cookies).formParam("csrf-token", csrf.group(1)).formParam("email", nobody)
                    .formParam("role", "member").when().post("/console/organizations/20003/members").then()
                    .statusCode(400).body(containsString("No practitioner has this e-mail address."),
                            containsString("<option value=\"member\" selected>"));
        }
        given().cookies(cookies).formParam("csrf-token", csrf.group(1)).formParam("email", "a@b.c\u0000")
                .formParam("role", "member").when().post("/console/organizations/20003/members").then()
                .statusCode(400);
        assertThat(StandIns.SEEN).noneMatch(s -> s.method().equals("POST"));
    }

    @Test
    void refusalsBadInputAndUnreachableServicesAnswerWithAPage() {
        Map<String, String> session = signIn();

        given().cookies(session).when().get("/console/organizations/20099").then().statusCode(403)
                .body(containsString("No access"), not(containsString("Exception")));
        for (String bad : new String[] { "0", "-1", "x", "99999999999", "1%00" }) {
            given().cookies(session).when().get("/console/organizations/20003/patients?page=" + bad).then()
                    .statusCode(400).body(containsString("page number"));
        }
        StandIns.adminDown = true;
        forgetTheUser(); // the profile page then needs the admin API, as for a user not kept yet
        given().cookies(session).when().get("/console/").then().statusCode(503)
                .body(containsString("cannot be reached"), not(containsString("127.0.0.1")));
    }

    @Test
    void pagesForbidInlineScriptsAndFramingAndTheAssetsAreServedWithoutSignIn() {
        given().when().get("/console/assets/lib/htmx.min.js").then().statusCode(200);
        given().when().get("/console/assets/lib/uPlot.iife.min.js").then().statusCode(200);
        given().when().get("/console/assets/console.css").then().statusCode(200);
        String policy = given().when().get("/console/signed-out").then().statusCode(200)
                .body(containsString("signed out")).extract().header("Content-Security-Policy");
        assertThat(policy).contains("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        given().redirects().follow(false).when().get("/").then().statusCode(303)
                .header("Location", containsString("/console/"));
    }

    @Test
    void thePlotsDataIsReducedByTheFhirApiToThePlotsWidthInOneRequest() {
        Map<String, String> session = signIn();
        StandIns.SEEN.clear();

        // two days in two points: the first day's three blood pressures are one point, the second day's one
        Response answer = given().cookies(session).queryParam("code", "omh:blood-pressure:4.0")
                .queryParam("from", "2024-05-01").queryParam("to", "2024-05-02").queryParam("points", "10")
                .when().get("/console/patients/40001/observations/series");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
        var json = answer.jsonPath();
        assertThat(json.getInt("count")).isEqualTo(4);
        assertThat(json.getBoolean("reduced")).isFalse();
        assertThat(json.getLong("from")).isEqualTo(1714521600L);
        assertThat(json.getLong("to")).isEqualTo(1714694400L);
        assertThat(json.<Number>getList("t")).extracting(Number::longValue).containsExactly(
                1714550400L, 1714566600L, 1714594500L, 1714694399L);
        assertThat(json.getList("series.name", String.class))
                .containsExactly("systolic_blood_pressure", "diastolic_blood_pressure");
        assertThat(json.getList("series.label", String.class))
                .containsExactly("Systolic blood pressure", "Diastolic blood pressure");
        assertThat(json.getList("series.unit", String.class)).containsExactly("mmHg", "mmHg");
        assertThat(json.<Number>getList("series[0].v")).extracting(Number::doubleValue)
                .containsExactly(121.0, 118.0, 125.0, 130.0);
        assertThat(json.<Number>getList("series[1].min")).extracting(Number::doubleValue)
                .containsExactly(79.0, 76.5, 82.0, 85.0);

        answer = given().cookies(session).queryParam("code", "omh:blood-pressure:4.0")
                .queryParam("from", "2024-05-01").queryParam("to", "2024-05-02").queryParam("points", "10")
                .queryParam("start", "1714521600").queryParam("end", "1714608000")
                .when().get("/console/patients/40001/observations/series");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.jsonPath().getInt("count")).isEqualTo(3);
        assertThat(answer.jsonPath().getLong("to")).isEqualTo(1714608000L);

        // one request per plot, with the user's token, for the patient, the code, the range and the points
        var asked = StandIns.SEEN.stream().filter(s -> s.path().startsWith("/fhir/")).toList();
        assertThat(asked).hasSize(2).allSatisfy(s -> {
            assertThat(s.path()).isEqualTo("/fhir/r5/Observation/$series");
            assertThat(s.authorization()).isEqualTo("Bearer " + StandIns.ACCESS_TOKEN);
            assertThat(URLDecoder.decode(s.query(), StandardCharsets.UTF_8)).contains("patient=40001",
                    "code=omh:blood-pressure:4.0", "date=ge2024-05-01T00:00:00Z", "_buckets=10");
        });
        assertThat(URLDecoder.decode(asked.get(0).query(), StandardCharsets.UTF_8))
                .contains("date=lt2024-05-03T00:00:00Z");
        assertThat(URLDecoder.decode(asked.get(1).query(), StandardCharsets.UTF_8))
                .contains("date=lt2024-05-02T00:00:00Z");
    }

    @Test
    void whereAPointStandsForSeveralObservationsItCarriesTheirMeanLeastAndGreatest() {
        Map<String, String> session = signIn();
        StandIns.SEEN.clear();

        // a month in ten points: Peter's five blood pressures of May 1st to 3rd fall into the first
        var json = given().cookies(session).queryParam("code", "omh:blood-pressure:4.0")
                .queryParam("from", "2024-05-01").queryParam("to", "2024-05-30").queryParam("points", "10")
                .when().get("/console/patients/40001/observations/series").then().statusCode(200).extract()
                .jsonPath();
        assertThat(json.getBoolean("reduced")).isTrue();
        assertThat(json.getInt("count")).isEqualTo(5);
        assertThat(json.getList("n", Integer.class)).containsExactly(5);
        assertThat(json.<Number>getList("series[0].v")).singleElement()
                .satisfies(mean -> assertThat(mean.doubleValue()).isCloseTo(126.8, org.assertj.core.data.Offset.offset(1e-4)));
        assertThat(json.<Number>getList("series[0].min")).extracting(Number::doubleValue).containsExactly(118.0);
        assertThat(json.<Number>getList("series[0].max")).extracting(Number::doubleValue).containsExactly(140.0);
        // without points, the plot asks for 1000
        given().cookies(session).queryParam("code", "omh:blood-pressure:4.0").queryParam("from", "2024-05-01")
                .queryParam("to", "2024-05-02").when().get("/console/patients/40001/observations/series").then()
                .statusCode(200);
        assertThat(StandIns.SEEN).filteredOn(s -> s.path().startsWith("/fhir/")).last()
                .satisfies(s -> assertThat(s.query()).contains("_buckets=1000"));
    }

    @Test
    void aZoomOrAPointCountOutsideWhatThePlotAllowsIsBadInputAndAsksNothing() {
        Map<String, String> session = signIn();
        StandIns.SEEN.clear();
        String range = "code=omh:blood-pressure:4.0&from=2024-05-01&to=2024-05-02";
        for (String bad : new String[] { "&start=1714521600", "&end=1714608000",
                "&start=1714521599&end=1714608000", "&start=1714521600&end=1714694401",
                "&start=1714608000&end=1714608000", "&start=-1&end=1714608000", "&start=1.5&end=1714608000",
                "&start=1714521600%00&end=1714608000", "&points=9", "&points=2001", "&points=ten", "&points=-10" }) {
            given().cookies(session).urlEncodingEnabled(false)
                    .when().get("/console/patients/40001/observations/series?" + range + bad).then()
                    .statusCode(400);
        }
        assertThat(StandIns.SEEN).noneMatch(s -> s.path().startsWith("/fhir/"));
    }

    @Test
    void theTableHoldsTheLatestObservationsExactlyNewestFirst() {
        Map<String, String> session = signIn();
        StandIns.SEEN.clear();

        var json = given().cookies(session).queryParam("code", "omh:blood-pressure:4.0")
                .queryParam("from", "2024-05-01").queryParam("to", "2024-05-03")
                .when().get("/console/patients/40001/observations/latest").then().statusCode(200)
                .header("Cache-Control", "no-store").extract().jsonPath();
        assertThat(json.<Number>getList("t")).extracting(Number::longValue).containsExactly(1714723200L,
                1714694399L);
        assertThat(json.<Number>getList("series[0].v")).extracting(Number::doubleValue).containsExactly(140.0,
                130.0);
        assertThat(StandIns.SEEN).filteredOn(s -> s.path().startsWith("/fhir/")).singleElement().satisfies(s -> {
            String query = URLDecoder.decode(s.query(), StandardCharsets.UTF_8);
            assertThat(s.authorization()).isEqualTo("Bearer " + StandIns.ACCESS_TOKEN);
            assertThat(query).contains("patient=40001", "_sort=-date", "_count=100", "_total=none",
                    "date=ge2024-05-01T00:00:00Z", "date=lt2024-05-04T00:00:00Z");
        });
        given().cookies(session).queryParam("code", "omh:blood-pressure:4.0").queryParam("from", "2024-05-03")
                .queryParam("to", "2024-05-01").when().get("/console/patients/40001/observations/latest").then()
                .statusCode(400);
        given().redirects().follow(false).queryParam("code", "omh:blood-pressure:4.0")
                .when().get("/console/patients/40001/observations/latest").then().statusCode(302);
    }

    @Test
    void aRangeWithoutObservationsIsAnEmptyPlot() {
        Map<String, String> session = signIn();

        given().cookies(session).queryParam("code", "omh:blood-pressure:4.0").queryParam("from", "2023-01-01")
                .queryParam("to", "2023-01-31").when().get("/console/patients/40001/observations/series").then()
                .statusCode(200).body("count", org.hamcrest.Matchers.equalTo(0))
                .body("t", org.hamcrest.Matchers.empty()).body("series", org.hamcrest.Matchers.empty());
    }

    @Test
    void theCsvHoldsOneRowPerDataPointWithItsUnits() {
        Map<String, String> session = signIn();

        Response csv = given().cookies(session).queryParam("code", "omh:blood-pressure:4.0")
                .queryParam("from", "2024-05-01").queryParam("to", "2024-05-01")
                .when().get("/console/patients/40001/observations/csv");

        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.header("Content-Disposition"))
                .isEqualTo("attachment; filename=\"patient-40001-omh-blood-pressure-4.0-2024-05-01-2024-05-01.csv\"");
        assertThat(csv.body().asString().split("\r\n")).containsExactly(
                "time,systolic_blood_pressure (mmHg),diastolic_blood_pressure (mmHg)",
                "2024-05-01T08:00:00Z,121,79", "2024-05-01T12:30:00Z,118,76.5", "2024-05-01T20:15:00Z,125,82");
    }

    @Test
    void aCsvOfSeveralPagesIsStreamedCompleteInOrderWithItsHeaderOnce() {
        Map<String, String> session = signIn();
        StandIns.SEEN.clear();

        Response csv = given().cookies(session).queryParam("code", "omh:heart-rate:2.0")
                .queryParam("from", "2024-06-01").queryParam("to", "2024-06-03")
                .when().get("/console/patients/40003/observations/csv");

        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.header("Content-Length")).as("streamed in chunks, not built first").isNull();
        assertThat(csv.header("Content-Disposition")).contains("patient-40003-omh-heart-rate-2.0-2024-06-01-2024-06-03");
        String[] lines = csv.body().asString().split("\r\n");
        assertThat(lines).hasSize(2501);
        assertThat(lines[0]).isEqualTo("time,heart_rate (beats/min)");
        for (int i = 0; i < 2500; i++) {
            assertThat(lines[i + 1]).isEqualTo(StandIns.BULK_START.plusSeconds(60L * i) + "," + (60 + i % 40));
        }
        // three pages of 1000, one after another along the API's cursor, within the chosen days
        assertThat(StandIns.SEEN).filteredOn(s -> s.path().equals("/fhir/r5/Observation"))
                .extracting(s -> parameters(s.query())).hasSize(3).allSatisfy(q -> assertThat(q)
                        .containsEntry("_count", "1000").containsEntry("_sort", "date").containsEntry("patient", "40003"))
                .extracting(q -> q.get("_cursor")).containsExactly(null, "1000", "2000");
    }

    @Test
    void aCsvIsReadFromTheApiOnlyAsFastAsTheBrowserTakesItAndStopsWhenItLeaves() throws Exception {
        Map<String, String> session = signIn();
        // 500 pages of 1000 (12 MB of CSV): more than the connection's buffers can hold
        StandIns.bulkObservations = 500_000;
        StandIns.SEEN.clear();
        String cookies = String.join("; ", session.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .toList());
        // a plain socket with a small receive buffer, as a browser that stops reading leaves it: what the console
        // writes then stays in its own connection's send buffer
        try (var socket = new java.net.Socket()) {
            socket.setReceiveBufferSize(16 * 1024);
            socket.connect(new java.net.InetSocketAddress("localhost", io.restassured.RestAssured.port));
            socket.getOutputStream().write(("GET /console/patients/40003/observations/csv?code=omh:heart-rate:2.0"
                    + "&from=2024-06-01&to=2025-05-31 HTTP/1.1\r\nHost: localhost\r\nCookie: " + cookies
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            var body = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(body.readLine()).isEqualTo("HTTP/1.1 200 OK");
            String line;
            boolean chunked = false;
            while (!(line = body.readLine()).isEmpty()) {
                chunked |= line.equalsIgnoreCase("transfer-encoding: chunked");
            }
            assertThat(chunked).as("streamed in chunks").isTrue();
            body.readLine(); // the first chunk's size
            assertThat(body.readLine()).isEqualTo("time,heart_rate (beats/min)");
            // the browser stops reading: the console asks for pages only as the response takes them, so once the
            // connection's buffers are full it asks for none, and holds no more than a page, not the file
            long stalled = -1;
            for (int second = 0; second < 30; second++) {
                long before = pagesAsked();
                Thread.sleep(1000);
                if (pagesAsked() == before) {
                    stalled = before;
                    break;
                }
            }
            assertThat(stalled).as("pages asked for once the browser read no more").isPositive().isLessThan(500);
        }
        // the browser leaves: no page is asked for after that
        Thread.sleep(1000);
        long atClose = pagesAsked();
        Thread.sleep(1000);
        assertThat(pagesAsked()).isLessThanOrEqualTo(atClose + 1).isLessThan(500);
    }

    /** A raw query string's parameters, decoded (the last of a repeated one). */
    private static Map<String, String> parameters(String rawQuery) {
        Map<String, String> parameters = new HashMap<>();
        for (String pair : rawQuery.split("&")) {
            String[] kv = pair.split("=", 2);
            parameters.put(kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return parameters;
    }

    private static long pagesAsked() {
        return StandIns.SEEN.stream().filter(s -> s.path().equals("/fhir/r5/Observation")).count();
    }

    @Test
    void aCsvTheApiRefusesIsTheErrorPageNotAnEmptyFile() {
        Map<String, String> session = signIn();

        // patient 40009 is not the user's to read: the API's 403 comes before the file's first line
        Response refused = given().cookies(session).queryParam("code", "omh:blood-pressure:4.0")
                .queryParam("from", "2024-05-01").queryParam("to", "2024-05-01")
                .when().get("/console/patients/40009/observations/csv");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.contentType()).startsWith("text/html");
        assertThat(refused.body().asString()).contains("No access").doesNotContain("time,");
        assertThat(refused.header("Content-Disposition")).isNull();
        given().cookies(session).queryParam("code", "omh:blood-pressure:4.0").queryParam("from", "2024-05-01")
                .queryParam("to", "2024-05-01").when().get("/console/patients/x/observations/csv").then()
                .statusCode(400).body(containsString("patient id"));
    }

    @Test
    void theObservationsPageOffersTheStudiesTypesOfDataAndNamesThePlotsDataWithoutInlineScript() {
        Map<String, String> session = signIn();

        given().cookies(session).when().get("/console/patients/40001").then().statusCode(200)
                .body(containsString("href=\"/console/patients/40001/observations?code=omh%3Ablood-pressure%3A4.0\""),
                        containsString("Plot Blood pressure"));
        String page = given().cookies(session).queryParam("code", "omh:blood-pressure:4.0")
                .queryParam("from", "2024-05-01").queryParam("to", "2024-05-31")
                .when().get("/console/patients/40001/observations").then().statusCode(200)
                .extract().body().asString();
        assertThat(page).contains("Observations of Park, Peter", "<option value=\"omh:blood-pressure:4.0\" selected>",
                "data-series-url=\"/console/patients/40001/observations/series?code=omh%3Ablood-pressure%3A4.0"
                        + "&amp;from=2024-05-01&amp;to=2024-05-31\"",
                "href=\"/console/patients/40001/observations/csv?code=omh%3Ablood-pressure%3A4.0",
                "<script src=\"/console/assets/observations.js\" defer></script>", "value=\"2024-05-01\"")
                .doesNotContain("<script>").doesNotContain("style=").doesNotContain("aria-invalid");
        given().when().get("/console/assets/observations.js").then().statusCode(200);
    }

    @Test
    void aWrongRangeOrTypeIsShownNextToItsFieldAndNoDataIsAskedFor() {
        Map<String, String> session = signIn();
        StandIns.SEEN.clear();

        given().cookies(session).queryParam("code", "omh:blood-pressure:4.0").queryParam("from", "2024-05-03")
                .queryParam("to", "2024-05-01").when().get("/console/patients/40001/observations").then()
                .statusCode(400).body(containsString("id=\"to-error\""), containsString("must not be before"),
                        containsString("aria-describedby=\"to-error\""), not(containsString("data-series-url")));
        given().cookies(session).queryParam("code", "omh:heart-rate:2.0").when()
                .get("/console/patients/40001/observations").then().statusCode(400)
                .body(containsString("id=\"code-error\""), containsString("do not ask for that type"));
        given().cookies(session).queryParam("from", "2024-02-30").when()
                .get("/console/patients/40001/observations").then().statusCode(400)
                .body(containsString("id=\"from-error\""));
        for (String bad : new String[] { "from=2024-05-01&to=2024-05-02", "code=omh%3Cx&from=2024-05-01",
                "code=omh:blood-pressure:4.0&from=2024-13-01", "code=omh:blood-pressure:4.0&from=2020-01-01&to=2024-01-01",
                "code=omh:blood-pressure:4.0&to=2024-05-01%00", "code=" + "a".repeat(101) }) {
            given().cookies(session).urlEncodingEnabled(false)
                    .when().get("/console/patients/40001/observations/series?" + bad).then().statusCode(400);
            given().cookies(session).urlEncodingEnabled(false)
                    .when().get("/console/patients/40001/observations/csv?" + bad).then().statusCode(400);
        }
        given().cookies(session).when().get("/console/patients/x/observations/series?code=a").then().statusCode(400);
        assertThat(StandIns.SEEN).noneMatch(s -> s.path().startsWith("/fhir/"));
    }

    @Test
    void thePlotsDataNeedsASignedInUser() {
        given().redirects().follow(false).queryParam("code", "omh:blood-pressure:4.0")
                .when().get("/console/patients/40001/observations/series").then().statusCode(302);
        assertThat(StandIns.SEEN).noneMatch(s -> s.path().startsWith("/fhir/"));
    }

    @Test
    void aManagerRevokesAndGrantsAConsentWithTheFormsCsrfToken() {
        Map<String, String> session = signIn();
        Response page = given().cookies(session).when().get("/console/patients/40001");
        assertThat(page.body().asString()).contains("action=\"/console/patients/40001/consents\"", ">Revoke<");
        Matcher csrf = CSRF.matcher(page.body().asString());
        assertThat(csrf.find()).isTrue();
        Map<String, String> cookies = new HashMap<>(session);
        cookies.putAll(page.cookies());
        StandIns.SEEN.clear();

        given().cookies(session).redirects().follow(false).formParams(decision("false"))
                .when().post("/console/patients/40001/consents").then().statusCode(400);
        assertThat(StandIns.SEEN).noneMatch(s -> s.path().endsWith("/consents"));

        given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf.group(1))
                .formParams(decision("false")).when().post("/console/patients/40001/consents").then().statusCode(303)
                .header("Location", containsString("/console/patients/40001?notice=consent-revoked"));
        var change = StandIns.SEEN.stream().filter(s -> s.path().endsWith("/consents")).toList();
        assertThat(change).singleElement().satisfies(s -> {
            assertThat(s.method()).isEqualTo("PATCH");
            assertThat(s.authorization()).isEqualTo("Bearer " + StandIns.ACCESS_TOKEN);
            assertThat(s.body()).contains("\"studyId\":30001", "\"codingSystem\":\"https://w3id.org/openmhealth\"",
                    "\"codingCode\":\"omh:blood-pressure:4.0\"", "\"consented\":false");
        });
        given().cookies(cookies).when().get("/console/patients/40001?notice=consent-revoked").then()
                .body(containsString("The consent was revoked"));

        // no decision recorded yet: the first one is recorded
        StandIns.consentRecorded = false;
        StandIns.SEEN.clear();
        given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf.group(1))
                .formParams(decision("true")).when().post("/console/patients/40001/consents").then().statusCode(303)
                .header("Location", containsString("notice=consent-granted"));
        assertThat(StandIns.SEEN.stream().filter(s -> s.path().endsWith("/consents")).map(Seen -> Seen.method()))
                .containsExactly("PATCH", "POST");
        assertThat(StandIns.SEEN.get(StandIns.SEEN.size() - 1).body()).contains("\"consented\":true");

        StandIns.SEEN.clear();
        for (Map.Entry<String, String> bad : Map.of("studyId", "x", "codingSystem", "https://a b",
                "codingCode", "omh<x>", "consented", "yes").entrySet()) {
            Map<String, String> form = new HashMap<>(decision("false"));
            form.put(bad.getKey(), bad.getValue());
            given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf.group(1))
                    .formParams(form).when().post("/console/patients/40001/consents").then().statusCode(400);
        }
        assertThat(StandIns.SEEN).noneMatch(s -> s.path().endsWith("/consents"));
    }

    @Test
    void aViewerSeesConsentsButNoControlToChangeThem() {
        Map<String, String> session = signIn();
        StandIns.role = "viewer";
        forgetTheUser();

        given().cookies(session).when().get("/console/patients/40001").then().statusCode(200)
                .body(containsString("consented"), not(containsString("<form")), not(containsString("Revoke")));
    }

    @Test
    void aManagerCreatesAnInvitationWhoseQrCodeHoldsItsLinkAndMayHaveItEmailed() throws Exception {
        Map<String, String> session = signIn();
        Response page = given().cookies(session).when().get("/console/patients/40001");
        assertThat(page.body().asString()).contains("action=\"/console/patients/40001/invitation\"",
                "Create invitation", "to ll_patient_peter@example.com");
        Matcher csrf = CSRF.matcher(page.body().asString());
        assertThat(csrf.find()).isTrue();
        Map<String, String> cookies = new HashMap<>(session);
        cookies.putAll(page.cookies());
        StandIns.SEEN.clear();

        given().cookies(session).when().post("/console/patients/40001/invitation").then().statusCode(400);
        assertThat(StandIns.SEEN).noneMatch(s -> s.path().endsWith("/invitation_link"));

        Response invitation = given().cookies(cookies).formParam("csrf-token", csrf.group(1))
                .when().post("/console/patients/40001/invitation");
        assertThat(invitation.statusCode()).isEqualTo(200);
        assertThat(invitation.header("Cache-Control")).isEqualTo("no-store");
        String html = invitation.body().asString();
        assertThat(html).contains("Invitation of Park, Peter", "aria-label=\"QR code of the invitation link for Park, Peter\"",
                "https://app.example/launch?code=localhost%7Cb2K9xq&amp;lang=en").doesNotContain("was e-mailed");
        Matcher svg = Pattern.compile("<svg[^>]*viewBox=\"0 0 (\\d+) \\d+\"[^>]*>.*?<path fill=\"#000\" d=\"([^\"]+)\"")
                .matcher(html);
        assertThat(svg.find()).isTrue();
        assertThat(decodeQr(Integer.parseInt(svg.group(1)), svg.group(2))).isEqualTo(StandIns.INVITATION_LINK);
        assertThat(StandIns.SEEN).filteredOn(s -> s.path().equals("/api/v1/patients/40001/invitation_link"))
                .singleElement().satisfies(s -> {
                    assertThat(s.query()).isEqualTo("send_email=false");
                    assertThat(s.authorization()).isEqualTo("Bearer " + StandIns.ACCESS_TOKEN);
                });

        StandIns.SEEN.clear();
        given().cookies(cookies).formParam("csrf-token", csrf.group(1)).formParam("sendEmail", "on")
                .when().post("/console/patients/40001/invitation").then().statusCode(200)
                .body(containsString("The invitation was e-mailed to ll_patient_peter@example.com"));
        assertThat(StandIns.SEEN).anyMatch(s -> s.path().endsWith("/invitation_link") && "send_email=true".equals(s.query()));
        given().cookies(cookies).formParam("csrf-token", csrf.group(1)).formParam("sendEmail", "yes%00")
                .when().post("/console/patients/40001/invitation").then().statusCode(400);

        StandIns.role = "viewer";
        forgetTheUser();
        given().cookies(session).when().get("/console/patients/40001").then().statusCode(200)
                .body(not(containsString("Create invitation")));
    }

    @Test
    void aStudyShowsItsDataSourcesAppsAndPatientsPageByPageFromItsOrganization() {
        Map<String, String> session = signIn();

        given().cookies(session).when().get("/console/organizations/20003").then().statusCode(200)
                .body(containsString("<a href=\"/console/studies/30001\">Lifespan Study on BP</a>"));
        given().cookies(session).when().get("/console/patients/40001").then().statusCode(200)
                .body(containsString("<a href=\"/console/studies/30001\">Lifespan Study on BP</a>"));
        StandIns.SEEN.clear();
        given().cookies(session).when().get("/console/studies/30001?page=2").then().statusCode(200)
                .body(containsString("<h1>Lifespan Study on BP</h1>"), containsString("Blood pressure over a lifetime"),
                        containsString("<code>omh:blood-pressure:4.0</code>"), containsString("iHealth"),
                        containsString("CommonHealth"), containsString("<code>commonhealth</code>"),
                        containsString("21 patients · page 2 of 2"), containsString("href=\"/console/patients/40001\""),
                        containsString("href=\"/console/studies/30001?page=1\""), not(containsString("Next page")));
        assertThat(StandIns.SEEN).anyMatch(s -> s.path().equals("/api/v1/studies/30001/patients")
                && s.query().contains("limit=20") && s.query().contains("offset=20"));
        assertThat(StandIns.SEEN).filteredOn(s -> s.path().startsWith("/api/v1/studies/")).hasSize(5)
                .allSatisfy(s -> assertThat(s.authorization()).isEqualTo("Bearer " + StandIns.ACCESS_TOKEN));
        for (String bad : new String[] { "studies/x", "studies/0", "studies/30001?page=0", "studies/30001?page=x" }) {
            given().cookies(session).when().get("/console/" + bad).then().statusCode(400);
        }
        // a study of another organization: the API refuses it, and so does the page
        given().cookies(session).when().get("/console/studies/30099").then().statusCode(403)
                .body(containsString("No access"));
    }

    @Test
    void aManagerEnrolsAPatientFoundByEmailAndRemovesOneWithTheFormsCsrfToken() {
        Map<String, String> session = signIn();
        Response page = given().cookies(session).when().get("/console/studies/30001");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body().asString()).contains("action=\"/console/studies/30001/patients\"",
                "<label for=\"enrol-patient\">", "action=\"/console/studies/30001/patients/remove\"");
        Matcher csrf = CSRF.matcher(page.body().asString());
        assertThat(csrf.find()).isTrue();
        Map<String, String> cookies = new HashMap<>(session);
        cookies.putAll(page.cookies());
        StandIns.SEEN.clear();

        // without the form's token nothing is asked of the API
        given().cookies(session).redirects().follow(false).formParam("patient", "ll_patient_peter@example.com")
                .when().post("/console/studies/30001/patients").then().statusCode(400);
        assertThat(StandIns.SEEN).noneMatch(s -> s.method().equals("POST"));

        given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf.group(1))
                .formParam("patient", " ll_patient_peter@example.com ")
                .when().post("/console/studies/30001/patients").then().statusCode(303)
                .header("Location", containsString("/console/studies/30001?notice=patient-enrolled"));
        assertThat(StandIns.SEEN).anyMatch(s -> s.path().equals("/api/v1/patients")
                && s.query().contains("organization_id=20003"));
        assertThat(StandIns.SEEN).filteredOn(s -> s.method().equals("POST")).singleElement().satisfies(s -> {
            assertThat(s.path()).isEqualTo("/api/v1/studies/30001/patients");
            assertThat(s.body()).contains("\"patientIds\":[40001]");
            assertThat(s.authorization()).isEqualTo("Bearer " + StandIns.ACCESS_TOKEN);
        });
        given().cookies(session).when().get("/console/studies/30001?notice=patient-enrolled").then()
                .statusCode(200).body(containsString("The patient is enrolled in the study."));

        StandIns.SEEN.clear();
        given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf.group(1))
                .formParam("patientId", "40001")
                .when().post("/console/studies/30001/patients/remove").then().statusCode(303)
                .header("Location", containsString("notice=patient-removed"));
        assertThat(StandIns.SEEN).filteredOn(s -> s.method().equals("DELETE")).singleElement().satisfies(s -> {
            assertThat(s.path()).isEqualTo("/api/v1/studies/30001/patients");
            assertThat(s.body()).contains("\"patientIds\":[40001]");
        });
        given().cookies(cookies).formParam("csrf-token", csrf.group(1)).formParam("patientId", "x")
                .when().post("/console/studies/30001/patients/remove").then().statusCode(400);
    }

    @Test
    void anEnrolmentThatFindsNoneOrSeveralPatientsOrThatTheApiRefusesIsShownNextToItsField() {
        Map<String, String> session = signIn();
        Response page = given().cookies(session).when().get("/console/studies/30001");
        Matcher csrf = CSRF.matcher(page.body().asString());
        assertThat(csrf.find()).isTrue();
        Map<String, String> cookies = new HashMap<>(session);
        cookies.putAll(page.cookies());
        StandIns.SEEN.clear();

        for (String[] typed : new String[][] { { "", "e-mail address or name." },
                { "nobody", "No patient of Lifespan Lab matches" }, { "Pa", "2 patients match" },
                { "x".repeat(101), "at most 100 characters" }, { "a\u0001b", "at most 100 characters" } }) {
            given().cookies(cookies).formParam("csrf-token", csrf.group(1)).formParam("patient", typed[0])
                    .when().post("/console/studies/30001/patients").then().statusCode(400)
                    .body(containsString("id=\"patient-error\""), containsString(typed[1]),
                            containsString("aria-describedby=\"patient-error\""), containsString("<h1>Lifespan Study on BP</h1>"));
        }
        assertThat(StandIns.SEEN).noneMatch(s -> s.method().equals("POST"));

        // Pamela is enrolled already: the API's 409, in its words, next to the field
        given().cookies(cookies).formParam("csrf-token", csrf.group(1)).formParam("patient", "Pamela")
                .when().post("/console/studies/30001/patients").then().statusCode(409)
                .body(containsString("Patient 40002 is already enrolled in study 30001."),
                        containsString("value=\"Pamela\""));
    }

    @Test
    void aManagerAddsAndRemovesTheStudysTypesOfDataAndDataSources() {
        Map<String, String> session = signIn();
        Response page = given().cookies(session).when().get("/console/studies/30001");
        String html = page.body().asString();
        // offered: what the study does not ask for or link yet
        assertThat(html).contains("<option value=\"50005\">Heart rate (omh:heart-rate:2.0)</option>",
                "<option value=\"70002\">Withings (personal_device)</option>")
                .doesNotContain("<option value=\"50002\">").doesNotContain("<option value=\"70001\">");
        Matcher csrf = CSRF.matcher(html);
        assertThat(csrf.find()).isTrue();
        Map<String, String> cookies = new HashMap<>(session);
        cookies.putAll(page.cookies());
        StandIns.SEEN.clear();

        given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf.group(1))
                .formParam("scopeCodeId", "50005").when().post("/console/studies/30001/scopes").then()
                .statusCode(303).header("Location", containsString("notice=scope-added"));
        given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf.group(1))
                .formParam("scopeCodeId", "50002").when().post("/console/studies/30001/scopes/remove").then()
                .statusCode(303).header("Location", containsString("notice=scope-removed"));
        given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf.group(1))
                .formParam("dataSourceId", "70002").when().post("/console/studies/30001/data-sources").then()
                .statusCode(303).header("Location", containsString("notice=data-source-added"));
        given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf.group(1))
                .formParam("dataSourceId", "70001").when().post("/console/studies/30001/data-sources/remove").then()
                .statusCode(303).header("Location", containsString("notice=data-source-removed"));
        assertThat(StandIns.SEEN).filteredOn(s -> !s.method().equals("GET"))
                .extracting(s -> s.method() + " " + s.path() + " " + s.body()).containsExactly(
                        "POST /api/v1/studies/30001/scope_requests {\"scopeCodeId\":50005}",
                        "DELETE /api/v1/studies/30001/scope_requests {\"scopeCodeId\":50002}",
                        "POST /api/v1/studies/30001/data_sources {\"dataSourceId\":70002}",
                        "DELETE /api/v1/studies/30001/data_sources {\"dataSourceId\":70001}");

        StandIns.SEEN.clear();
        given().cookies(cookies).formParam("csrf-token", csrf.group(1)).formParam("scopeCodeId", "")
                .when().post("/console/studies/30001/scopes").then().statusCode(400)
                .body(containsString("id=\"scope-error\""), containsString("Choose a type of data."));
        given().cookies(cookies).formParam("csrf-token", csrf.group(1)).formParam("dataSourceId", "x")
                .when().post("/console/studies/30001/data-sources").then().statusCode(400)
                .body(containsString("id=\"data-source-error\""), containsString("Choose a data source."));
        assertThat(StandIns.SEEN).noneMatch(s -> s.method().equals("POST"));
        given().cookies(cookies).formParam("csrf-token", csrf.group(1)).formParam("scopeCodeId", "50002")
                .when().post("/console/studies/30001/scopes").then().statusCode(409)
                .body(containsString("Study 30001 already requests code 50002."));
        given().cookies(cookies).formParam("csrf-token", csrf.group(1)).formParam("dataSourceId", "70001")
                .when().post("/console/studies/30001/data-sources").then().statusCode(409)
                .body(containsString("Data source 70001 is already linked to study 30001."));
    }

    @Test
    void aManagerLinksAndUnlinksTheStudysAppsAndWrongChoicesAreShownNextToTheirList() {
        Map<String, String> session = signIn();
        Response page = given().cookies(session).when().get("/console/studies/30001");
        String html = page.body().asString();
        // offered: the apps not linked yet; the linked one has its unlink button
        assertThat(html).contains("<label for=\"study-client\">Link an app</label>",
                "<option value=\"3\">Cardio Coach (cardio-coach)</option>",
                "action=\"/console/studies/30001/clients/remove\"", "name=\"clientId\" value=\"2\"")
                .doesNotContain("<option value=\"2\">");
        Matcher csrf = CSRF.matcher(html);
        assertThat(csrf.find()).isTrue();
        Map<String, String> cookies = new HashMap<>(session);
        cookies.putAll(page.cookies());
        StandIns.SEEN.clear();

        given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf.group(1))
                .formParam("clientId", "3").when().post("/console/studies/30001/clients").then()
                .statusCode(303).header("Location", containsString("notice=client-added"));
        given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf.group(1))
                .formParam("clientId", "2").when().post("/console/studies/30001/clients/remove").then()
                .statusCode(303).header("Location", containsString("notice=client-removed"));
        assertThat(StandIns.SEEN).filteredOn(s -> !s.method().equals("GET"))
                .extracting(s -> s.method() + " " + s.path() + " " + s.body()).containsExactly(
                        "POST /api/v1/studies/30001/clients {\"clientId\":3}",
                        "DELETE /api/v1/studies/30001/clients {\"clientId\":2}");
        given().cookies(session).when().get("/console/studies/30001?notice=client-added").then().statusCode(200)
                .body(containsString("The app is linked to the study"));

        StandIns.SEEN.clear();
        given().cookies(cookies).formParam("csrf-token", csrf.group(1)).formParam("clientId", "")
                .when().post("/console/studies/30001/clients").then().statusCode(400)
                .body(containsString("id=\"client-error\""), containsString("Choose an app."),
                        containsString("aria-describedby=\"client-error\""));
        given().cookies(cookies).formParam("csrf-token", csrf.group(1)).formParam("clientId", "x")
                .when().post("/console/studies/30001/clients/remove").then().statusCode(400)
                .body(containsString("app must be a positive whole number"));
        assertThat(StandIns.SEEN).noneMatch(s -> !s.method().equals("GET"));
        // the API's refusal (linked already), next to the list
        given().cookies(cookies).formParam("csrf-token", csrf.group(1)).formParam("clientId", "2")
                .when().post("/console/studies/30001/clients").then().statusCode(409)
                .body(containsString("id=\"client-error\">Client 2 is already linked to study 30001."));
    }

    @Test
    void aViewerSeesTheStudyWithoutAnyControlAndNoRegistryIsReadForIt() {
        Map<String, String> session = signIn();
        StandIns.role = "viewer";
        forgetTheUser();
        StandIns.SEEN.clear();

        given().cookies(session).when().get("/console/studies/30001").then().statusCode(200)
                .body(containsString("Lifespan Study on BP"), containsString("Park, Peter"),
                        not(containsString("<form")), not(containsString("<button")));
        assertThat(StandIns.SEEN).noneMatch(s -> s.path().startsWith("/api/v1/data_sources")
                || s.path().equals("/api/v1/clients") || s.path().endsWith("/all_scopes"));
    }

    @Test
    void aManagerAddsAPatientToTheOrganizationAndWrongFieldsAreShownNextToThem() {
        Map<String, String> session = signIn();
        Response page = given().cookies(session).when().get("/console/organizations/20003/patients");
        assertThat(page.body().asString()).contains("action=\"/console/organizations/20003/patients\"",
                "<label for=\"patient-email\">", "<label for=\"patient-birth\">");
        Matcher csrf = CSRF.matcher(page.body().asString());
        assertThat(csrf.find()).isTrue();
        Map<String, String> cookies = new HashMap<>(session);
        cookies.putAll(page.cookies());
        StandIns.SEEN.clear();

        given().cookies(session).redirects().follow(false).formParam("email", "new@example.com")
                .when().post("/console/organizations/20003/patients").then().statusCode(400);
        assertThat(StandIns.SEEN).noneMatch(s -> s.method().equals("POST"));

        given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf.group(1))
                .formParam("email", " new@example.com ").formParam("nameGiven", "Nora").formParam("nameFamily", "")
                .formParam("birthDate", "1990-02-03")
                .when().post("/console/organizations/20003/patients").then().statusCode(303)
                .header("Location", containsString("/console/patients/40099?notice=patient-created"));
        assertThat(StandIns.SEEN).filteredOn(s -> s.method().equals("POST")).singleElement().satisfies(s -> {
            assertThat(s.path()).isEqualTo("/api/v1/patients");
            assertThat(s.body()).contains("\"organizationId\":20003", "\"telecomEmail\":\"new@example.com\"",
                    "\"nameGiven\":\"Nora\"", "\"birthDate\":\"1990-02-03\"").doesNotContain("\"nameFamily\":\"\"");
            assertThat(s.authorization()).isEqualTo("Bearer " + StandIns.ACCESS_TOKEN);
        });

        StandIns.SEEN.clear();
        given().cookies(cookies).formParam("csrf-token", csrf.group(1)).formParam("email", "not an address")
                .formParam("nameGiven", "N\u0001").formParam("birthDate", "2990-01-01")
                .when().post("/console/organizations/20003/patients").then().statusCode(400)
                .body(containsString("id=\"patient-email-error\""), containsString("such as name@example.org"),
                        containsString("id=\"patient-given-error\""), containsString("id=\"patient-birth-error\""),
                        containsString("value=\"not an address\""), containsString("<details class=\"add\" open>"),
                        containsString("Park, Peter"));
        given().cookies(cookies).formParam("csrf-token", csrf.group(1)).formParam("email", "")
                .when().post("/console/organizations/20003/patients").then().statusCode(400)
                .body(containsString("id=\"patient-email-error\">Enter the patient"));
        assertThat(StandIns.SEEN).noneMatch(s -> s.method().equals("POST"));
        // the API's refusal, next to the field it names
        given().cookies(cookies).formParam("csrf-token", csrf.group(1)).formParam("email", "ll_patient_peter@example.com")
                .when().post("/console/organizations/20003/patients").then().statusCode(400)
                .body(containsString("id=\"patient-email-error\">A patient with this email address already exists"));

        StandIns.role = "viewer";
        forgetTheUser();
        given().cookies(session).when().get("/console/organizations/20003/patients").then().statusCode(200)
                .body(containsString("Park, Peter"), not(containsString("<form method=\"post\"")),
                        not(containsString("Add a patient")));
    }

    @Test
    void aSuperuserAddsAndDeletesDataSourcesAndAPractitionerHasNoControlForThem() {
        Map<String, String> session = signIn();
        StandIns.user = "admin";
        forgetTheUser();
        Response page = given().cookies(session).when().get("/console/admin/data-sources");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body().asString()).contains("action=\"/console/admin/data-sources\"",
                "<label for=\"data-source-name\">", "name=\"dataSourceId\" value=\"70002\"", "Withings");
        Matcher csrf = CSRF.matcher(page.body().asString());
        assertThat(csrf.find()).isTrue();
        Map<String, String> cookies = new HashMap<>(session);
        cookies.putAll(page.cookies());
        StandIns.SEEN.clear();

        given().cookies(session).redirects().follow(false).formParam("name", "Oura").formParam("type", "personal_device")
                .when().post("/console/admin/data-sources").then().statusCode(400);
        assertThat(StandIns.SEEN).noneMatch(s -> s.method().equals("POST"));

        given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf.group(1))
                .formParam("name", " Oura ").formParam("type", "personal_device")
                .when().post("/console/admin/data-sources").then().statusCode(303)
                .header("Location", containsString("/console/admin/data-sources?notice=data-source-created"));
        given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf.group(1))
                .formParam("dataSourceId", "70002")
                .when().post("/console/admin/data-sources/remove").then().statusCode(303)
                .header("Location", containsString("notice=data-source-deleted"));
        assertThat(StandIns.SEEN).filteredOn(s -> !s.method().equals("GET"))
                .extracting(s -> s.method() + " " + s.path() + " " + s.body()).containsExactly(
                        "POST /api/v1/data_sources {\"name\":\"Oura\",\"type\":\"personal_device\"}",
                        "DELETE /api/v1/data_sources/70002 ");
        given().cookies(session).when().get("/console/admin/data-sources?notice=data-source-created").then()
                .statusCode(200).body(containsString("The data source was added."));

        StandIns.SEEN.clear();
        given().cookies(cookies).formParam("csrf-token", csrf.group(1)).formParam("name", " ")
                .formParam("type", "spaceship").when().post("/console/admin/data-sources").then().statusCode(400)
                .body(containsString("id=\"data-source-name-error\""), containsString("id=\"data-source-type-error\""),
                        containsString("aria-describedby=\"data-source-name-error\""));
        assertThat(StandIns.SEEN).noneMatch(s -> s.method().equals("POST"));
        // one still in use: the API's 409, in its words
        given().cookies(cookies).formParam("csrf-token", csrf.group(1)).formParam("dataSourceId", "70001")
                .when().post("/console/admin/data-sources/remove").then().statusCode(400)
                .body(containsString("id=\"delete-error\""), containsString("still referenced"));

        StandIns.user = "mary";
        forgetTheUser();
        given().cookies(session).when().get("/console/admin/data-sources").then().statusCode(200)
                .body(containsString("Withings"), not(containsString("<form")));
    }

    @Test
    void aSuperuserReadsTheRegistriesAPageAtATimeAndAPractitionerIsRefusedThem() {
        Map<String, String> session = signIn();
        StandIns.user = "admin";
        forgetTheUser();

        given().cookies(session).when().get("/console/").then().statusCode(200)
                .body(containsString("href=\"/console/admin\""), containsString("href=\"/console/access-report\""));
        given().cookies(session).when().get("/console/admin").then().statusCode(200)
                .body(containsString("href=\"/console/admin/data-sources\""));
        StandIns.SEEN.clear();
        given().cookies(session).when().get("/console/admin/clients?page=2").then().statusCode(200)
                .body(containsString("<h1>Apps (OAuth clients)</h1>"), containsString("<td>commonhealth</td>"),
                        containsString("https://app.example/launch?code=CODE"), containsString("21 in all · page 2 of 2"),
                        containsString("href=\"/console/admin/clients?page=1\""),
                        containsString("href=\"/console/admin/clients/2\""));
        assertThat(StandIns.SEEN).anyMatch(s -> s.path().equals("/api/v1/clients") && s.query().contains("limit=20")
                && s.query().contains("offset=20"));
        given().cookies(session).when().get("/console/admin/settings").then().statusCode(200)
                .body(containsString("<td>site.url</td>"), containsString("<td>https://exchange.example</td>"));
        given().cookies(session).when().get("/console/admin/practitioners").then().statusCode(200)
                .body(containsString("<a href=\"/console/admin/practitioners/80001\">Mary Mayer</a>"),
                        containsString("<td>Lifespan Lab</td>"));
        StandIns.dataSourcesEmpty = true;
        given().cookies(session).when().get("/console/admin/data-sources").then().statusCode(200)
                .body(containsString("None yet."));
        given().cookies(session).when().get("/console/admin/secrets").then().statusCode(404);
        given().cookies(session).when().get("/console/admin/clients?page=0").then().statusCode(400);

        // a practitioner has no link, and the API refuses the superuser's registries (the apps it lists to anyone)
        StandIns.user = "mary";
        forgetTheUser();
        given().cookies(session).when().get("/console/").then().statusCode(200)
                .body(not(containsString("/console/admin")));
        for (String registry : new String[] { "settings", "practitioners", "clients" }) {
            given().cookies(session).when().get("/console/admin/" + registry).then().statusCode(403)
                    .body(containsString("No access"));
        }
    }

    @Test
    void aSuperuserChangesASettingsValueAndAWrongOneIsShownNextToIt() {
        Map<String, String> session = signIn();
        StandIns.user = "admin";
        forgetTheUser();
        given().cookies(session).when().get("/console/admin/settings").then().statusCode(200)
                .body(containsString("href=\"/console/admin/settings/1\""));
        Response page = given().cookies(session).when().get("/console/admin/settings/1");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body().asString()).contains("<code>site.url</code>", "<label for=\"setting-value\">",
                ">https://exchange.example</textarea>", "action=\"/console/admin/settings/1\"");
        Matcher csrf = CSRF.matcher(page.body().asString());
        assertThat(csrf.find()).isTrue();
        Map<String, String> cookies = new HashMap<>(session);
        cookies.putAll(page.cookies());
        StandIns.SEEN.clear();

        given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf.group(1))
                .formParam("value", "https://new.example").when().post("/console/admin/settings/1").then()
                .statusCode(303).header("Location", containsString("/console/admin/settings?notice=setting-changed"));
        assertThat(StandIns.SEEN).filteredOn(s -> !s.method().equals("GET"))
                .extracting(s -> s.method() + " " + s.path() + " " + s.body())
                .containsExactly("PATCH /api/v1/jhe_settings/1 {\"value\":\"https://new.example\"}");
        given().cookies(session).when().get("/console/admin/settings?notice=setting-changed").then().statusCode(200)
                .body(containsString("The setting was changed."));

        // the API reads the value by the setting's type: its refusal is shown next to the value, as typed
        given().cookies(cookies).formParam("csrf-token", csrf.group(1)).formParam("value", "nope")
                .when().post("/console/admin/settings/2").then().statusCode(400)
                .body(containsString("id=\"setting-value-error\">Not a valid int value."),
                        containsString("aria-invalid=\"true\""), containsString(">nope</textarea>"),
                        containsString("(a whole number)"));
        StandIns.SEEN.clear();
        given().cookies(cookies).formParam("csrf-token", csrf.group(1)).formParam("value", "a\u0001b")
                .when().post("/console/admin/settings/2").then().statusCode(400)
                .body(containsString("Control characters"));
        given().cookies(cookies).formParam("csrf-token", csrf.group(1)).formParam("value", "x".repeat(100_001))
                .when().post("/console/admin/settings/2").then().statusCode(400)
                .body(containsString("At most 100000 characters."));
        given().cookies(cookies).formParam("csrf-token", csrf.group(1)).formParam("value", "1")
                .when().post("/console/admin/settings/x").then().statusCode(400);
        assertThat(StandIns.SEEN).noneMatch(s -> s.method().equals("PATCH"));

        // anyone else: the API refuses them the setting, and its page says so
        StandIns.user = "mary";
        forgetTheUser();
        given().cookies(session).when().get("/console/admin/settings/1").then().statusCode(403)
                .body(containsString("No access"));
    }

    @Test
    void aSuperuserRegistersChangesAndDeletesAnAppWithTheApisRefusalsNextToTheirFields() {
        Map<String, String> session = signIn();
        StandIns.user = "admin";
        forgetTheUser();
        Response list = given().cookies(session).when().get("/console/admin/clients");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body().asString()).contains("action=\"/console/admin/clients\"", "<label for=\"client-id\">",
                "href=\"/console/admin/clients/2\"");
        Map<String, String> cookies = new HashMap<>(session);
        cookies.putAll(list.cookies());
        String csrf = csrf(list);
        StandIns.SEEN.clear();

        given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf).formParam("name", " Cardio ")
                .formParam("clientId", "cardio-app")
                .formParam("invitationUrl", "https://cardio.example/launch?code=CODE")
                .when().post("/console/admin/clients").then().statusCode(303)
                .header("Location", containsString("/console/admin/clients/4?notice=client-created"));
        assertThat(StandIns.SEEN).filteredOn(s -> !s.method().equals("GET"))
                .extracting(s -> s.method() + " " + s.path() + " " + s.body()).containsExactly(
                        "POST /api/v1/clients {\"name\":\"Cardio\",\"clientId\":\"cardio-app\",\"invitationUrl\":"
                                + "\"https://cardio.example/launch?code=CODE\"}");

        // wrong fields: the console's own checks, then the API's (a client id taken, a URL it does not accept)
        StandIns.SEEN.clear();
        given().cookies(cookies).formParam("csrf-token", csrf).formParam("name", "").formParam("clientId", "a b")
                .formParam("invitationUrl", "").when().post("/console/admin/clients").then().statusCode(400)
                .body(containsString("id=\"client-name-error\""), containsString("id=\"client-id-error\">Use 1 to 100"),
                        containsString("id=\"client-url-error\""),
                        containsString("aria-describedby=\"client-id-error\""),
                        containsString("<details class=\"add\" open>"));
        assertThat(StandIns.SEEN).noneMatch(s -> s.method().equals("POST"));
        given().cookies(cookies).formParam("csrf-token", csrf).formParam("name", "Again")
                .formParam("clientId", "commonhealth").formParam("invitationUrl", "https://again.example/?code=CODE")
                .when().post("/console/admin/clients").then().statusCode(400)
                .body(containsString("id=\"client-id-error\">This client id is already taken."),
                        containsString("value=\"Again\""));
        given().cookies(cookies).formParam("csrf-token", csrf).formParam("name", "Local")
                .formParam("clientId", "local-app").formParam("invitationUrl", "http://phone.example/?code=CODE")
                .when().post("/console/admin/clients").then().statusCode(400)
                .body(containsString("id=\"client-url-error\">Only https URLs are allowed."));

        // the app's page: its fields, its data sources, and the ones it may still be linked to
        Response app = given().cookies(cookies).when().get("/console/admin/clients/2?notice=client-created");
        assertThat(app.statusCode()).isEqualTo(200);
        assertThat(app.body().asString()).contains("The app was registered.", "<code>commonhealth</code>",
                "value=\"CommonHealth\"", "iHealth (personal_device)", "<option value=\"70002\">Withings",
                "href=\"/console/admin/clients/2/delete\"").doesNotContain("<option value=\"70001\">");
        StandIns.SEEN.clear();
        given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf)
                .formParam("name", "CommonHealth 2").formParam("invitationUrl", "https://app.example/v2?code=CODE")
                .when().post("/console/admin/clients/2").then().statusCode(303)
                .header("Location", containsString("/console/admin/clients/2?notice=client-changed"));
        assertThat(StandIns.SEEN).filteredOn(s -> s.method().equals("PATCH")).extracting(s -> s.path() + " " + s.body())
                .containsExactly("/api/v1/clients/2 {\"name\":\"CommonHealth 2\",\"clientId\":null,"
                        + "\"invitationUrl\":\"https://app.example/v2?code=CODE\"}");
        given().cookies(cookies).formParam("csrf-token", csrf).formParam("name", "CommonHealth")
                .formParam("invitationUrl", "http://app.example/?code=CODE").when().post("/console/admin/clients/2")
                .then().statusCode(400).body(containsString("id=\"client-url-error\">Only https URLs are allowed."),
                        containsString("value=\"http://app.example/?code=CODE\""));
        given().cookies(cookies).formParam("csrf-token", csrf).formParam("name", "a\u0007b")
                .formParam("invitationUrl", "https://app.example/?code=CODE").when().post("/console/admin/clients/2")
                .then().statusCode(400).body(containsString("id=\"client-name-error\">At most 255 characters"));

        // its data sources: linked, refused when linked already, unlinked
        given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf)
                .formParam("dataSourceId", "70002")
                .when().post("/console/admin/clients/2/data-sources").then().statusCode(303)
                .header("Location", containsString("notice=client-data-source-added"));
        given().cookies(cookies).formParam("csrf-token", csrf).formParam("dataSourceId", "70001")
                .when().post("/console/admin/clients/2/data-sources").then().statusCode(400)
                .body(containsString("id=\"client-data-source-error\">Data source 70001 is already linked"));
        given().cookies(cookies).formParam("csrf-token", csrf).formParam("dataSourceId", "")
                .when().post("/console/admin/clients/2/data-sources").then().statusCode(400)
                .body(containsString("Choose a data source."));
        given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf)
                .formParam("dataSourceId", "70001")
                .when().post("/console/admin/clients/2/data-sources/remove").then().statusCode(303)
                .header("Location", containsString("notice=client-data-source-removed"));

        // a deletion: a link leads to its confirmation, which deletes nothing; its form does
        StandIns.SEEN.clear();
        given().cookies(cookies).when().get("/console/admin/clients/2/delete").then().statusCode(200)
                .body(containsString("Delete app CommonHealth?"), containsString("cannot be undone"),
                        containsString("action=\"/console/admin/clients/2/delete\""),
                        containsString("name=\"confirm\" value=\"yes\""));
        given().cookies(cookies).formParam("csrf-token", csrf).when().post("/console/admin/clients/2/delete").then()
                .statusCode(400);
        assertThat(StandIns.SEEN).noneMatch(s -> s.method().equals("DELETE"));
        given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf).formParam("confirm", "yes")
                .when().post("/console/admin/clients/2/delete").then().statusCode(303)
                .header("Location", containsString("/console/admin/clients?notice=client-deleted"));
        assertThat(StandIns.SEEN).filteredOn(s -> s.method().equals("DELETE")).extracting(s -> s.path())
                .containsExactly("/api/v1/clients/2");
        given().cookies(cookies).formParam("csrf-token", csrf).formParam("confirm", "yes")
                .when().post("/console/admin/clients/3/delete").then().statusCode(400)
                .body(containsString("id=\"delete-error\""), containsString("still referenced"),
                        containsString("Delete app Cardio Coach?"));
        given().cookies(cookies).when().get("/console/admin/clients/0").then().statusCode(400);
    }

    @Test
    void aSuperuserAddsAndRenamesPractitionersAndAnActivationLinkIsShownOnlyInTheCreatesAnswer() {
        Map<String, String> session = signIn();
        StandIns.user = "admin";
        forgetTheUser();
        Response list = given().cookies(session).when().get("/console/admin/practitioners");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body().asString()).contains("action=\"/console/admin/practitioners\"",
                "<label for=\"practitioner-email\">", "href=\"/console/admin/practitioners/80001\"");
        Map<String, String> cookies = new HashMap<>(session);
        cookies.putAll(list.cookies());
        String csrf = csrf(list);
        StandIns.SEEN.clear();

        // an e-mailed activation: to the practitioner's page, the link nowhere
        given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf)
                .formParam("email", " nina@example.com ").formParam("nameGiven", "Nina").formParam("nameFamily", "New")
                .formParam("organizationId", "20003").when().post("/console/admin/practitioners").then().statusCode(303)
                .header("Location", containsString("/console/admin/practitioners/80002?notice=practitioner-created"));
        assertThat(StandIns.SEEN).filteredOn(s -> s.method().equals("POST")).extracting(s -> s.body())
                .containsExactly("{\"telecomEmail\":\"nina@example.com\",\"nameGiven\":\"Nina\",\"nameFamily\":"
                        + "\"New\",\"organizationId\":20003}");

        // where the exchange sends no e-mail the link is in the answer: shown on that page only, never stored
        Response created = given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf)
                .formParam("email", "nomail@example.com").when().post("/console/admin/practitioners");
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.header("Cache-Control")).isEqualTo("no-store");
        assertThat(created.header("Location")).isNull();
        assertThat(created.body().asString()).contains("id=\"activation-link\">"
                + StandIns.ACTIVATION_LINK.replace("&", "&amp;"), "The practitioner was added.");
        assertThat(created.cookies().values()).noneMatch(v -> v.contains("ACT-one-time"));

        // wrong fields: the console's own checks, then the API's
        StandIns.SEEN.clear();
        given().cookies(cookies).formParam("csrf-token", csrf).formParam("email", "not-an-address")
                .formParam("nameGiven", "N\u0001").formParam("organizationId", "twenty").when()
                .post("/console/admin/practitioners").then().statusCode(400)
                .body(containsString("id=\"practitioner-email-error\">Enter an e-mail address"),
                        containsString("id=\"practitioner-given-error\""),
                        containsString("id=\"practitioner-organization-error\""),
                        containsString("aria-describedby=\"practitioner-email-error\""));
        assertThat(StandIns.SEEN).noneMatch(s -> s.method().equals("POST"));
        given().cookies(cookies).formParam("csrf-token", csrf).formParam("email", "olga@example.com")
                .formParam("organizationId", "99999").when().post("/console/admin/practitioners").then()
                .statusCode(400).body(containsString("id=\"practitioner-organization-error\">Organization not found."),
                        containsString("value=\"olga@example.com\""));

        // a practitioner's page: the organizations and roles, and the names changed
        Response page = given().cookies(cookies).when().get("/console/admin/practitioners/80001");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body().asString()).contains("<h1>Practitioner Mary Mayer</h1>", "manager_mary@example.com",
                "href=\"/console/organizations/20003\">Lifespan Lab</a> (manager)", "value=\"Mary\"")
                .doesNotContain("activation-link");
        StandIns.SEEN.clear();
        given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf)
                .formParam("nameGiven", " Maria ")
                .formParam("nameFamily", "Mayer").when().post("/console/admin/practitioners/80001").then()
                .statusCode(303).header("Location", containsString("notice=practitioner-changed"));
        assertThat(StandIns.SEEN).filteredOn(s -> s.method().equals("PATCH")).extracting(s -> s.body())
                .containsExactly("{\"nameGiven\":\"Maria\",\"nameFamily\":\"Mayer\"}");
        given().cookies(cookies).formParam("csrf-token", csrf).formParam("nameGiven", "x".repeat(151))
                .when().post("/console/admin/practitioners/80001").then().statusCode(400)
                .body(containsString("id=\"practitioner-given-error\">At most 150 characters"));
        given().cookies(cookies).when().get("/console/admin/practitioners/abc").then().statusCode(400);
    }

    @Test
    void aManagerWhoIsNoSuperuserCannotReachTheAdministrationSettingsAppsOrPractitionersAndNoServiceIsAsked() {
        Map<String, String> session = signIn();
        Response profile = given().cookies(session).when().get("/console/");
        assertThat(profile.statusCode()).isEqualTo(200);
        assertThat(profile.body().asString()).contains("Mary Mayer").doesNotContain("/console/admin");
        Map<String, String> cookies = new HashMap<>(session);
        cookies.putAll(profile.cookies());
        Response organization = given().cookies(session).when().get("/console/organizations/20003");
        cookies.putAll(organization.cookies());
        String csrf = csrf(organization);
        StandIns.SEEN.clear();

        for (String path : new String[] { "/console/admin", "/console/admin/settings", "/console/admin/settings/1",
            "/console/admin/clients", "/console/admin/clients/2", "/console/admin/clients/2/delete",
            "/console/admin/practitioners", "/console/admin/practitioners/80001" }) {
            Response refused = given().cookies(session).when().get(path);
            assertThat(refused.statusCode()).as(path).isEqualTo(403);
            assertThat(refused.contentType()).as(path).startsWith("text/html");
            assertThat(refused.body().asString()).as(path).contains("<h1>No access</h1>", "Back to the console")
                    .doesNotContain("<form");
        }
        // his own changes with a valid CSRF token: refused the same way, nothing sent to the API
        for (var change : CHANGES.subList(CHANGES.size() - SUPERUSERS_CHANGES, CHANGES.size())) {
            given().cookies(cookies).redirects().follow(false).formParam("csrf-token", csrf)
                    .formParams(change.getValue()).when().post(change.getKey()).then().statusCode(403)
                    .body(containsString("No access"));
        }
        assertThat(StandIns.SEEN).as("no registry of a superuser's is asked for").allMatch(s -> s.method().equals("GET")
                && (s.path().equals("/api/v1/users/profile") || s.path().equals("/api/v1/users/organizations")));
        assertThat(StandIns.APPLIED).isEmpty();
    }

    private static String csrf(Response page) {
        Matcher csrf = CSRF.matcher(page.body().asString());
        assertThat(csrf.find()).as("the page's forms carry a CSRF token").isTrue();
        return csrf.group(1);
    }

    @Test
    void aPatientReadsWhoAccessedItsDataPageByPageWithoutAddresses() {
        Map<String, String> session = signIn();
        StandIns.user = "peter";
        forgetTheUser();
        StandIns.SEEN.clear();

        given().cookies(session).when().get("/console/").then().statusCode(200)
                .body(containsString("Park, Peter"), containsString("href=\"/console/access-report\""),
                        not(containsString("href=\"/console/organizations\"")),
                        not(containsString("href=\"/console/patients\"")));
        String first = given().cookies(session).when().get("/console/access-report").then().statusCode(200)
                .extract().body().asString();
        assertThat(first).contains("<h1>Who accessed your data</h1>", "2024-05-03 09:15:00 UTC",
                "practitioner (user 10002)", "jhe-console", "Read Observation/60001", "Allowed",
                "Searched Observation, 0 results", "Refused", "HTTP 403 (refused)",
                "href=\"/console/access-report?cursor=MTcxNDY3MjgwMDAwMF9lMg\"")
                .doesNotContain("Patient/40001").doesNotContain(">From<").doesNotContain("Newest accesses");
        // the API narrows a patient's search to itself: the console asks for no patient
        assertThat(StandIns.SEEN).filteredOn(s -> s.path().equals("/fhir/r5/AuditEvent")).singleElement()
                .satisfies(s -> {
                    assertThat(s.query()).contains("_count=20").doesNotContain("patient=").doesNotContain("_cursor");
                    assertThat(s.authorization()).isEqualTo("Bearer " + StandIns.ACCESS_TOKEN);
                });

        StandIns.SEEN.clear();
        given().cookies(session).when().get("/console/access-report?cursor=MTcxNDY3MjgwMDAwMF9lMg").then()
                .statusCode(200).body(containsString("Changed a consent"), containsString("patient (user 10006)"),
                        containsString("href=\"/console/access-report\">Newest accesses"),
                        not(containsString("Older accesses")), not(containsString("Observation/60001")));
        assertThat(StandIns.SEEN).anyMatch(s -> s.path().equals("/fhir/r5/AuditEvent")
                && s.query().contains("_cursor=MTcxNDY3MjgwMDAwMF9lMg"));

        StandIns.SEEN.clear();
        for (String bad : new String[] { "a%00b", "a+b", "%3Cscript%3E", "x".repeat(201) }) {
            given().cookies(session).urlEncodingEnabled(false).when().get("/console/access-report?cursor=" + bad)
                    .then().statusCode(400).body(containsString("newest accesses"));
        }
        assertThat(StandIns.SEEN).noneMatch(s -> s.path().startsWith("/fhir/"));

        // another patient's report is a superuser's page: a patient is refused it, and no trail is asked for
        given().cookies(session).when().get("/console/patients/40002/access-report").then().statusCode(403);
        assertThat(StandIns.SEEN).noneMatch(s -> s.path().startsWith("/fhir/"));

        StandIns.auditEmpty = true;
        given().cookies(session).when().get("/console/access-report").then().statusCode(200)
                .body(containsString("No access has been recorded yet."), not(containsString("<table")));
    }

    @Test
    void aSuperuserOutsideThePatientsOrganizationsOpensThePatientPageWithoutItsConsents() {
        Map<String, String> session = signIn();
        StandIns.user = "admin";
        forgetTheUser();

        given().cookies(session).when().get("/console/patients/40001").then().statusCode(200)
                .body(containsString("Park, Peter"), containsString("id=\"consents-unavailable\""),
                        not(containsString("name=\"consented\"")));
        given().cookies(session).when().get("/console/patients/40001/observations").then().statusCode(200)
                .body(containsString("ask for no data"));
        // a member of the patient's organization sees them as before
        StandIns.user = "mary";
        StandIns.role = "viewer";
        forgetTheUser();
        given().cookies(session).when().get("/console/patients/40001").then().statusCode(200)
                .body(not(containsString("consents-unavailable")));
    }

    @Test
    void aSuperuserReadsAPatientsAccessesWithTheAddressesTheyCameFrom() {
        Map<String, String> session = signIn();
        StandIns.user = "admin";
        forgetTheUser();

        given().cookies(session).when().get("/console/patients/40001").then().statusCode(200)
                .body(containsString("href=\"/console/patients/40001/access-report\""));
        StandIns.SEEN.clear();
        given().cookies(session).when().get("/console/patients/40001/access-report").then().statusCode(200)
                .body(containsString("Accesses to the data of Park, Peter"), containsString("203.0.113.9"),
                        containsString(">From<"),
                        containsString("href=\"/console/patients/40001/access-report?cursor=MTcxNDY3MjgwMDAwMF9lMg\""));
        assertThat(StandIns.SEEN).anyMatch(s -> s.path().equals("/fhir/r5/AuditEvent")
                && s.query().contains("patient=40001"));
        given().cookies(session).when().get("/console/patients/x/access-report").then().statusCode(400);
        // a patient outside the superuser's organizations: the API gives the trail, not the record
        given().cookies(session).when().get("/console/patients/40002/access-report").then().statusCode(200)
                .body(containsString("Accesses to the data of patient 40002"));
        assertThat(StandIns.SEEN).anyMatch(s -> s.path().equals("/fhir/r5/AuditEvent")
                && s.query().contains("patient=40002"));
    }

    @Test
    void aPractitionerHasNoLinkToTheAuditTrailAndTheApiRefusesIt() {
        Map<String, String> session = signIn();

        given().cookies(session).when().get("/console/patients/40001").then().statusCode(200)
                .body(not(containsString("access-report")));
        given().cookies(session).when().get("/console/").then().statusCode(200)
                .body(not(containsString("access-report")));
        given().cookies(session).when().get("/console/access-report").then().statusCode(403)
                .body(containsString("No access"));
        given().cookies(session).when().get("/console/patients/40001/access-report").then().statusCode(403);
    }

    /** Draws the SVG's unit squares ("M x yh1v1h-1z") four pixels each, and reads the QR code with ZXing. */
    private static String decodeQr(int size, String path) throws Exception {
        int scale = 4;
        var image = new java.awt.image.BufferedImage(size * scale, size * scale, java.awt.image.BufferedImage.TYPE_INT_RGB);
        var graphics = image.createGraphics();
        graphics.setColor(java.awt.Color.WHITE);
        graphics.fillRect(0, 0, size * scale, size * scale);
        graphics.setColor(java.awt.Color.BLACK);
        Matcher module = Pattern.compile("M(\\d+) (\\d+)h1v1h-1z").matcher(path);
        while (module.find()) {
            graphics.fillRect(Integer.parseInt(module.group(1)) * scale, Integer.parseInt(module.group(2)) * scale, scale,
                    scale);
        }
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        var source = new com.google.zxing.RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels);
        return new com.google.zxing.qrcode.QRCodeReader()
                .decode(new com.google.zxing.BinaryBitmap(new com.google.zxing.common.HybridBinarizer(source))).getText();
    }

    private static Map<String, String> decision(String consented) {
        return Map.of("studyId", "30001", "codingSystem", "https://w3id.org/openmhealth",
                "codingCode", "omh:blood-pressure:4.0", "consented", consented);
    }

    /** The browser's way back from the sign-in page: the callback with a code, and the state cookie it set. */
    private static Response callback() {
        Response first = given().redirects().follow(false).when().get("/console/");
        String state = query(first.header("Location")).get("state");
        return given().redirects().follow(false).cookies(first.cookies())
                .queryParam("code", "the-code").queryParam("state", state)
                .when().get("/console/callback");
    }

    /** Signs Mary in; the session's cookies. */
    private static Map<String, String> signIn() {
        Response callback = callback();
        assertThat(callback.statusCode()).as(callback.body().asString()).isEqualTo(302);
        assertThat(callback.header("Location")).endsWith("/console/");
        return callback.cookies();
    }

    private static Map<String, String> query(String location) {
        Map<String, String> query = new HashMap<>();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return query;
    }
}
