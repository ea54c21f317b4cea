package org.jupyterhealth.exchange.admin.mail;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.Fixtures;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.MailServerSwitch;
import org.jupyterhealth.exchange.admin.support.Personas;
import org.jupyterhealth.exchange.admin.support.TestDatabase;
import org.jupyterhealth.exchange.common.mail.MailRelay;
import org.jupyterhealth.exchange.common.testing.LogCapture;
import org.jupyterhealth.exchange.common.testing.TestMailServer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The mail server down while an invitation is e-mailed (docs/architecture.md#e-mail): the API answers as ever, the
 * message waits in the outbox and is tried again with back-off, and once the server is back it is sent, once. No log
 * line names the recipient or quotes the body's link.
 */
@QuarkusTest
@TestProfile(MailOutageTest.ThroughSwitch.class)
@QuarkusTestResource(IdentityStandIn.class)
class MailOutageTest {
    static final MailServerSwitch SWITCH = new MailServerSwitch();

    /** admin-service sends its mail through the switch, off until the test turns it on. */
    public static class ThroughSwitch implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.mailer.port", Integer.toString(SWITCH.port()));
        }
    }

    private static long attempts(String email) {
        return TestDatabase.number("SELECT coalesce(max(attempts), 0) FROM admin.mail_outbox WHERE recipient = '"
                + email + "'");
    }

    @Test
    void anInvitationMailedWhileTheServerIsDownIsSentOnceWhenItIsBack() {
        try (LogCapture log = LogCapture.of(MailRelay.class.getName())) {
            List<String> lines = log.lines();
            SWITCH.off();
            String email = Fixtures.unique("outage") + "@example.org";
            long patient = ((Number) given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                    .body(Map.of("organizationId", Fixtures.organization(), "telecomEmail", email, "nameGiven", "Jo"))
                    .when().post("/api/v1/patients").then().statusCode(201).extract().path("id")).longValue();

            String link = given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                    .body(Map.of("patientId", patient, "clientId", 1, "sendEmail", true))
                    .when().post("/api/v1/invitation")
                    .then().statusCode(201).extract().path("invitationLink");

            await().atMost(Duration.ofSeconds(30)).until(() -> attempts(email) >= 2);
            assertThat(TestMailServer.messagesTo(email)).isEmpty();

            SWITCH.on();
            await().atMost(Duration.ofSeconds(30)).until(() -> TestMailServer.messagesTo(email).size() == 1
                    && TestDatabase.number("SELECT count(*) FROM admin.mail_outbox WHERE recipient = '" + email
                            + "'") == 0);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30))
                    .until(() -> TestMailServer.messagesTo(email).size() == 1);
            assertThat(TestMailServer.messagesTo(email).get(0).text()).contains(link);

            assertThat(lines).anySatisfy(line -> assertThat(line).contains("not sent (attempt 1"));
            String token = link.substring(link.lastIndexOf('_') + 1);
            assertThat(lines).noneSatisfy(line -> assertThat(line).containsAnyOf(email, token));
        } finally {
            SWITCH.off();
        }
    }
}
