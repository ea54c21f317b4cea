package org.jupyterhealth.exchange.admin.invitation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.Fixtures;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.Personas;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * The original's invitations and the guide's invitation link (docs/compatibility.md#invitations): the body in either
 * spelling, the refusals of a body without its ids, the answers' shapes (the token shown once), reissuing, and an
 * outage of identity-service while a code is issued.
 */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class InvitationResourceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The keys of a JSON object in the order the answer gives them. */
    private static List<String> keys(String json) throws Exception {
        List<String> keys = new ArrayList<>();
        JSON.readTree(json).fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static Response invite(String token, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/invitation");
    }

    private static String tokenOf(long patient) {
        return invite(Personas.mary(), "{\"patientId\": " + patient + ", \"clientId\": 1}")
                .then().statusCode(201).extract().path("token");
    }

    private static String sha256(String value) throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aNewInvitationShowsItsTokenOnceWithItsLinkAndLocation() throws Exception {
        long patient = Fixtures.patient(Fixtures.organization());
        Response created = invite(Personas.mary(), "{\"patientId\": " + patient + ", \"clientId\": 1, "
                + "\"sendEmail\": false}").then().statusCode(201).extract().response();

        assertThat(keys(created.asString())).containsExactly("id", "patientId", "client_id", "tokenHash", "token",
                "status", "lastUpdated", "invitationLink");
        Number id = created.path("id");
        String token = created.path("token");
        assertThat(token).matches("[A-Za-z0-9]{32}");
        assertThat(created.<String>path("tokenHash")).isEqualTo(sha256(token));
        assertThat(created.<Integer>path("patientId")).isEqualTo((int) patient);
        assertThat(created.<Integer>path("client_id")).isEqualTo(1);
        assertThat(created.<String>path("invitationLink"))
                .isEqualTo("https://carex.ai/invitation/localhost%3A8000_" + token);
        assertThat(created.header("Location")).isEqualTo("http://localhost:8000/api/v1/invitation/" + id);

        String read = given().auth().oauth2(Personas.mary()).when().get("/api/v1/invitation/" + id)
                .then().statusCode(200).body("token", equalTo(null)).body("status", equalTo("issued"))
                .body("tokenHash", equalTo(sha256(token))).extract().asString();
        assertThat(keys(read)).containsExactly("id", "patientId", "client_id", "tokenHash", "token", "status",
                "lastUpdated");
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/invitation")
                .then().statusCode(200).body("results.id", hasItem(id.intValue()))
                .body("results.find { it.id == " + id + " }.token", equalTo(null))
                .body("results.find { it.id == " + id + " }", not(hasKey("invitationLink")));
    }

    @Test
    void theBodyIsReadInSnakeCaseAndCamelCaseAlike() {
        long patient = Fixtures.patient(Fixtures.organization());
        for (String body : List.of(
                "{\"patient_id\": " + patient + ", \"client_id\": 1, \"send_email\": true}",
                "{\"patientId\": " + patient + ", \"clientId\": 1, \"sendEmail\": true}",
                "{\"patient_id\": \"" + patient + "\", \"clientId\": \"1\"}")) {
            invite(Personas.mary(), body).then().statusCode(201)
                    .body("patientId", equalTo((int) patient)).body("client_id", equalTo(1));
        }
        invite(Personas.mary(), "{\"patientId\": " + patient + ", \"patient_id\": " + patient + ", \"clientId\": 1}")
                .then().statusCode(400).body("errors", hasKey("patientId"));
    }

    @Test
    void aBodyWithoutItsIdsIsOneRefusalNamingEachMissingOne() {
        long patient = Fixtures.patient(Fixtures.organization());
        invite(Personas.mary(), "{}").then().statusCode(400)
                .body("detail", equalTo("patientId and client_id are required."))
                .body("errors.patientId[0]", equalTo("This field is required."))
                .body("errors.client_id[0]", equalTo("This field is required."));
        invite(Personas.mary(), "{\"patientId\": " + patient + ", \"clientId\": \"\"}").then().statusCode(400)
                .body("detail", equalTo("patientId and client_id are required."))
                .body("errors", not(hasKey("patientId")))
                .body("errors.client_id[0]", equalTo("This field is required."));
        invite(Personas.mary(), "{\"patientId\": 1.5, \"clientId\": 1}").then().statusCode(400)
                .body("detail", equalTo("patientId: A valid integer is required."));
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/invitation")
                .then().statusCode(200).body("results.patientId", not(hasItem((int) patient)));
    }

    @Test
    void onlyAManagerOrMemberOfThePatientsOrganizationsInvites() {
        long patient = Fixtures.patient(Fixtures.organization());
        String body = "{\"patientId\": " + patient + ", \"clientId\": 1}";
        invite(Personas.mark(), body).then().statusCode(403);
        invite(Personas.peter(), body).then().statusCode(403);
        invite(Personas.mary(), "{\"patientId\": 999999999, \"clientId\": 1}").then().statusCode(404)
                .body("detail", equalTo("No Patient matches the given query."));
        invite(Personas.mary(), "{\"patientId\": " + patient + ", \"clientId\": 999999}").then().statusCode(404)
                .body("detail", equalTo("No Client matches the given query."));
        Number id = invite(Personas.mary(), body).then().statusCode(201).extract().path("id");
        given().auth().oauth2(Personas.mark()).when().get("/api/v1/invitation")
                .then().statusCode(200).body("results.id", not(hasItem(id.intValue())));
        given().auth().oauth2(Personas.mark()).when().delete("/api/v1/invitation/" + id).then().statusCode(403);
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/invitation/999999999")
                .then().statusCode(404).body("detail", equalTo("No PatientInvitation matches the given query."));
    }

    @Test
    void aNewInvitationToTheSameAppReissuesTheEarlierOne() {
        long patient = Fixtures.patient(Fixtures.organization());
        String first = tokenOf(patient);
        String second = tokenOf(patient);

        given().contentType(ContentType.JSON).when().post("/api/v1/invitation/" + first)
                .then().statusCode(409).body("detail", equalTo("Invitation has already been used."));
        Response redeemed = given().contentType(ContentType.JSON).when().post("/api/v1/invitation/" + second)
                .then().statusCode(200).extract().response();
        assertThat(redeemed.<String>path("grant.redirect_uri")).isEqualTo("http://localhost:8000/auth/callback");
        assertThat(redeemed.<String>path("token_endpoint")).isEqualTo("http://localhost:8000/o/token/");
        // the app retrying within the redemption window gets a code again
        given().contentType(ContentType.JSON).when().post("/api/v1/invitation/" + second)
                .then().statusCode(200).body("grant.client_id", equalTo("carex"));
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/invitation")
                .then().statusCode(200)
                .body("results.findAll { it.patientId == " + patient + " }.status",
                        equalTo(List.of("redeemed", "reissued")));
    }

    @Test
    void aRedemptionAnswersTheGrantUnderItsOAuthNames() throws Exception {
        long patient = Fixtures.patient(Fixtures.organization());
        String token = tokenOf(patient);
        String answer = given().contentType(ContentType.JSON).when().post("/api/v1/invitation/" + token)
                .then().statusCode(200).extract().asString();

        assertThat(keys(answer)).containsExactly("grant", "token_endpoint", "expires");
        assertThat(keys(JSON.readTree(answer).get("grant").toString()))
                .containsExactly("grant_type", "redirect_uri", "client_id", "code");
        String code = JSON.readTree(answer).path("grant").path("code").asText();
        Map<String, Object> issued = IdentityStandIn.ISSUED_CODES.stream()
                .filter(c -> code.equals(c.get("code"))).findFirst().orElseThrow();
        String verifier = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(token.getBytes(StandardCharsets.US_ASCII));
        assertThat(issued.get("codeChallenge")).isEqualTo(sha256(verifier));
        assertThat(issued.get("codeChallengeMethod")).isEqualTo("S256");
    }

    @Test
    void anOutageOfIdentityServiceIs503AndTheInvitationStaysRedeemable() {
        long patient = Fixtures.patient(Fixtures.organization());
        String token = tokenOf(patient);
        IdentityStandIn.FAIL_WITH.set(503);
        try {
            given().contentType(ContentType.JSON).when().post("/api/v1/invitation/" + token)
                    .then().statusCode(503)
                    .body("detail", equalTo("The account service is unavailable; try again later."));
            given().auth().oauth2(Personas.mary())
                    .when().get("/api/v1/patients/" + patient + "/invitation_link?application_id=1")
                    .then().statusCode(503)
                    .body("detail", equalTo("The account service is unavailable; try again later."));
        } finally {
            IdentityStandIn.FAIL_WITH.set(null);
        }
        given().auth().oauth2(Personas.mary()).when().get("/api/v1/invitation")
                .then().statusCode(200)
                .body("results.find { it.patientId == " + patient + " }.status", equalTo("issued"));
        given().contentType(ContentType.JSON).when().post("/api/v1/invitation/" + token).then().statusCode(200);
    }

    @Test
    void anInvitationLinkWithoutAnAppTakesTheFirstAppOfThePatientsStudies() {
        long organization = Fixtures.organization();
        long patient = Fixtures.patient(organization);
        String link = "/api/v1/patients/" + patient + "/invitation_link";
        given().auth().oauth2(Personas.mary()).when().get(link).then().statusCode(400)
                .body("detail", equalTo("application_id is required: the patient's studies name no client with an "
                        + "invitation URL."))
                .body("errors", hasKey("application_id"));

        long study = Fixtures.study(organization);
        Fixtures.enrol(study, patient);
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON).body(Map.of("clientId", 2))
                .when().post("/api/v1/studies/" + study + "/clients").then().statusCode(201);
        given().auth().oauth2(Personas.mary()).when().get(link).then().statusCode(200)
                .body("invitationLink", startsWith(
                        "https://commonhealth.tcp.org?invitation=localhost%3A8000|"));
        // client_id is the original's other name of application_id, which wins when both are given
        given().auth().oauth2(Personas.mary()).when().get(link + "?client_id=1").then().statusCode(200)
                .body("invitationLink", startsWith("https://carex.ai/invitation/"));
        given().auth().oauth2(Personas.mary()).when().get(link + "?application_id=2&client_id=1")
                .then().statusCode(200)
                .body("invitationLink", startsWith("https://commonhealth.tcp.org"));
        given().auth().oauth2(Personas.mary()).when().get(link + "?application_id=x").then().statusCode(400)
                .body("errors", hasKey("applicationId"));
        given().auth().oauth2(Personas.mark()).when().get(link + "?application_id=1").then().statusCode(403);
    }
}
