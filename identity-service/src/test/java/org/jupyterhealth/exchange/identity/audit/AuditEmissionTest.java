package org.jupyterhealth.exchange.identity.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.audit.AuditEvent;
import org.jupyterhealth.exchange.common.testing.TestAuditEvents;
import org.jupyterhealth.exchange.common.testing.TestAuditEvents.Produced;
import org.jupyterhealth.exchange.identity.support.IdentityFixtures;
import org.jupyterhealth.exchange.identity.support.Tokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A token grant, a failed sign-in and a revocation are one audit event each, naming the account and the client,
 * never a password or a token.
 */
@QuarkusTest
class AuditEmissionTest {
    private static final String MARY = "audit.test.mary@example.com";
    static TestAuditEvents events;

    @Inject
    IdentityFixtures fixtures;

    long maryId;

    @BeforeAll
    static void listen() {
        events = new TestAuditEvents();
    }

    @AfterAll
    static void stop() {
        events.close();
    }

    @BeforeEach
    void account() {
        maryId = fixtures.practitioner(MARY, true);
        fixtures.publicClient("audit-scripts", "password refresh_token");
    }

    static AuditEvent only(String requestId, String... secrets) {
        List<Produced> produced = events.of(requestId);
        assertThat(produced).as("events of request " + requestId).hasSize(1);
        for (String secret : secrets) {
            assertThat(produced.get(0).value()).doesNotContain(secret);
        }
        assertThat(produced.get(0).key()).isEqualTo(AuditEvent.NO_PATIENT_KEY);
        return produced.get(0).event();
    }

    @Test
    void aTokenGrantIsOneEventNamingTheAccountAndTheClient() {
        String requestId = TestAuditEvents.requestId();
        Response response = Tokens.form().header("X-Request-Id", requestId)
                .formParam("grant_type", "password").formParam("client_id", "audit-scripts")
                .formParam("username", MARY).formParam("password", IdentityFixtures.PASSWORD)
                .when().post("/o/token/");
        response.then().statusCode(200);

        AuditEvent event = only(requestId, IdentityFixtures.PASSWORD, response.jsonPath().getString("access_token"),
                response.jsonPath().getString("refresh_token"));
        assertThat(event.service()).isEqualTo("identity-service");
        assertThat(event.action()).isEqualTo("token");
        assertThat(event.outcome()).isEqualTo("success");
        assertThat(event.userId()).isEqualTo(maryId);
        assertThat(event.clientId()).isEqualTo("audit-scripts");
        assertThat(event.status()).isEqualTo(200);
    }

    @Test
    void aWrongPasswordIsOneFailedSignIn() {
        String requestId = TestAuditEvents.requestId();
        Tokens.form().header("X-Request-Id", requestId)
                .formParam("grant_type", "password").formParam("client_id", "audit-scripts")
                .formParam("username", MARY).formParam("password", "not-the-password-42")
                .when().post("/o/token/")
                .then().statusCode(400);

        AuditEvent event = only(requestId, "not-the-password-42", MARY);
        assertThat(event.action()).isEqualTo("login-failed");
        assertThat(event.outcome()).isEqualTo("refused");
        assertThat(event.clientId()).isEqualTo("audit-scripts");
    }

    @Test
    void aRevocationIsOneEvent() {
        String refresh = Tokens.password("audit-scripts", MARY).getString("refresh_token");
        String requestId = TestAuditEvents.requestId();
        Tokens.form().header("X-Request-Id", requestId)
                .formParam("client_id", "audit-scripts").formParam("token", refresh)
                .formParam("token_type_hint", "refresh_token")
                .when().post("/o/revoke_token/")
                .then().statusCode(200);

        AuditEvent event = only(requestId, refresh);
        assertThat(event.action()).isEqualTo("revoke");
        assertThat(event.outcome()).isEqualTo("success");
        assertThat(event.userId()).isEqualTo(maryId);
    }
}
