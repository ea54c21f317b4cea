package org.jupyterhealth.exchange.admin.practitioner;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.Fixtures;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.Personas;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * An exchange that sends no e-mail ({@code jhe.admin.mail.enabled=false}): the superuser's answer carries the new
 * account's activation link, the one identity-service issued, for the superuser to hand on; nothing is queued or sent,
 * invitation e-mails included (their links are in the answers as ever).
 */
@QuarkusTest
@TestProfile(ActivationWithoutMailTest.MailOff.class)
@QuarkusTestResource(IdentityStandIn.class)
class ActivationWithoutMailTest {

    /** admin-service with its e-mail switched off. */
    public static class MailOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("jhe.admin.mail.enabled", "false");
        }
    }

    private static String lastLink(long account) {
        List<String> links = IdentityStandIn.activationLinks(account);
        return links.get(links.size() - 1);
    }

    @Test
    void aNewPractitionersAnswerCarriesTheLinkAndNothingIsSent() {
        String email = Fixtures.unique("no-mail") + "@example.org";

        ExtractableResponse<Response> created = ActivationMailTest.createPractitioner(Map.of("telecomEmail", email,
                "nameGiven", "Ada", "organizationId", Fixtures.organization()));

        long account = ActivationMailTest.accountOf(created);
        assertThat(IdentityStandIn.activationLinks(account)).hasSize(1);
        assertThat((String) created.path("activationLink")).isEqualTo(lastLink(account));
        assertThat(Instant.parse(created.path("activationExpiresAt"))).isAfter(Instant.now());
        ActivationMailTest.nothingSentTo(email);
    }

    @Test
    void aNewUsersAnswerCarriesTheLinkAndNothingIsSent() {
        String email = Fixtures.unique("no-mail-user") + "@example.org";

        ExtractableResponse<Response> created = given().auth().oauth2(Personas.admin()).contentType(ContentType.JSON)
                .body(Map.of("email", email, "userType", "practitioner"))
                .when().post("/api/v1/users")
                .then().statusCode(201).extract();

        long account = ((Number) created.path("id")).longValue();
        assertThat((String) created.path("activationLink")).isEqualTo(lastLink(account));
        ActivationMailTest.nothingSentTo(email);
    }

    @Test
    void aResentLinkIsInTheAnswer() {
        String email = Fixtures.unique("no-mail-resend") + "@example.org";
        ExtractableResponse<Response> created = ActivationMailTest.createPractitioner(Map.of("telecomEmail", email));
        long account = ActivationMailTest.accountOf(created);

        ExtractableResponse<Response> resent = given().auth().oauth2(Personas.admin())
                .when().post("/api/v1/practitioners/" + created.path("id") + "/activation")
                .then().statusCode(202).extract();

        assertThat(IdentityStandIn.activationLinks(account)).hasSize(2);
        assertThat((String) resent.path("activationLink")).isEqualTo(lastLink(account))
                .isNotEqualTo(created.path("activationLink"));
        assertThat(Instant.parse(resent.path("activationExpiresAt"))).isAfter(Instant.now());
        ActivationMailTest.nothingSentTo(email);
    }

    @Test
    void anInvitationAskedToBeEmailedIsAnsweredWithItsLinkAndNotSent() {
        String email = Fixtures.unique("no-mail-invitee") + "@example.org";
        long patient = ((Number) given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("organizationId", Fixtures.organization(), "telecomEmail", email, "nameGiven", "Jo"))
                .when().post("/api/v1/patients")
                .then().statusCode(201).extract().path("id")).longValue();

        String link = given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("patientId", patient, "clientId", 1, "sendEmail", true))
                .when().post("/api/v1/invitation")
                .then().statusCode(201).extract().path("invitationLink");

        assertThat(link).startsWith("https://carex.ai/invitation/");
        ActivationMailTest.nothingSentTo(email);
    }
}
