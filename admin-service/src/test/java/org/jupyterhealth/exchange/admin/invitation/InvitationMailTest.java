package org.jupyterhealth.exchange.admin.invitation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.support.Fixtures;
import org.jupyterhealth.exchange.admin.support.IdentityStandIn;
import org.jupyterhealth.exchange.admin.support.Personas;
import org.jupyterhealth.exchange.admin.support.TestDatabase;
import org.jupyterhealth.exchange.common.testing.TestMailServer.Received;
import org.jupyterhealth.exchange.common.testing.TestMailServer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Invitation e-mails (docs/architecture.md#e-mail), read back from the real test mail server: asked for, the patient
 * receives the link exactly as the answer gives it, once; not asked for, nothing is sent; a patient without an
 * address is refused with nothing recorded.
 */
@QuarkusTest
@QuarkusTestResource(IdentityStandIn.class)
class InvitationMailTest {
    static final String SUBJECT = "Your invitation to share your health data through JupyterHealth Exchange";

    /** A new patient with this address (Mary acting). */
    static long patient(String email) {
        return ((Number) given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("organizationId", Fixtures.organization(), "telecomEmail", email, "nameFamily", "Doe",
                        "nameGiven", "Jo"))
                .when().post("/api/v1/patients")
                .then().statusCode(201).extract().path("id")).longValue();
    }

    /** The one message the address received, once it came and its outbox row is gone; checked again later. */
    static Received theOneMessageTo(String email) {
        await().atMost(Duration.ofSeconds(30)).until(() -> TestMailServer.messagesTo(email).size() == 1
                && TestDatabase.number("SELECT count(*) FROM admin.mail_outbox WHERE recipient = '" + email + "'")
                        == 0);
        List<Received> received = TestMailServer.messagesTo(email);
        // sent once: the relay, ticking every second, does not send it again
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30))
                .until(() -> TestMailServer.messagesTo(email).size() == 1);
        return received.get(0);
    }

    @Test
    void sendEmailMailsThePatientTheLinkTheAnswerGives() {
        String email = Fixtures.unique("invitee") + "@example.org";
        long patient = patient(email);

        String link = given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("patientId", patient, "clientId", 1, "sendEmail", true))
                .when().post("/api/v1/invitation")
                .then().statusCode(201).extract().path("invitationLink");

        Received mail = theOneMessageTo(email);
        assertThat(mail.to()).containsExactly(email);
        assertThat(mail.subject()).isEqualTo(SUBJECT);
        assertThat(link).startsWith("https://carex.ai/invitation/localhost%3A8000_");
        assertThat(mail.text()).startsWith("Hello Jo,").contains("\n" + link + "\n");
        assertThat(mail.html()).contains("<a href=\"" + link + "\">");
    }

    @Test
    void sendEmailOnTheInvitationLinkMailsTheLinkItAnswers() {
        String email = Fixtures.unique("invitee") + "@example.org";
        long patient = patient(email);

        String link = given().auth().oauth2(Personas.mary())
                .when().get("/api/v1/patients/" + patient + "/invitation_link?application_id=1&send_email=true")
                .then().statusCode(200).extract().path("invitationLink");

        Received mail = theOneMessageTo(email);
        assertThat(link).startsWith("https://carex.ai/invitation/localhost%3A8000|");
        assertThat(mail.subject()).isEqualTo(SUBJECT);
        assertThat(mail.text()).contains("\n" + link + "\n");
    }

    @Test
    void withoutSendEmailNothingIsSent() {
        String email = Fixtures.unique("invitee") + "@example.org";
        long patient = patient(email);

        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("patientId", patient, "clientId", 1, "sendEmail", false))
                .when().post("/api/v1/invitation").then().statusCode(201);
        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("patientId", patient, "clientId", 1))
                .when().post("/api/v1/invitation").then().statusCode(201);
        given().auth().oauth2(Personas.mary())
                .when().get("/api/v1/patients/" + patient + "/invitation_link?application_id=1&send_email=false")
                .then().statusCode(200);

        assertThat(TestDatabase.number("SELECT count(*) FROM admin.mail_outbox WHERE recipient = '" + email + "'"))
                .isZero();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30))
                .until(() -> TestMailServer.messagesTo(email).isEmpty());
    }

    @Test
    void aPatientWithoutAnAddressIsRefusedWithNothingRecorded() {
        long patient = Fixtures.patient(Fixtures.organization());
        TestDatabase.execute("UPDATE admin.patient SET jhe_user_id = NULL WHERE id = " + patient);
        long queued = TestDatabase.number("SELECT count(*) FROM admin.mail_outbox");

        given().auth().oauth2(Personas.mary()).contentType(ContentType.JSON)
                .body(Map.of("patientId", patient, "clientId", 1, "sendEmail", true))
                .when().post("/api/v1/invitation")
                .then().statusCode(400)
                .body("detail", equalTo("The patient has no e-mail address to send the invitation to."))
                .body("errors", hasKey("sendEmail"));
        given().auth().oauth2(Personas.mary())
                .when().get("/api/v1/patients/" + patient + "/invitation_link?application_id=1&send_email=true")
                .then().statusCode(400);

        assertThat(TestDatabase.number("SELECT count(*) FROM admin.patient_invitation WHERE patient_id = " + patient))
                .isZero();
        assertThat(TestDatabase.number("SELECT count(*) FROM admin.mail_outbox")).isLessThanOrEqualTo(queued);
    }
}
