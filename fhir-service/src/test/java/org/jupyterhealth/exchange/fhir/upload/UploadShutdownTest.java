package org.jupyterhealth.exchange.fhir.upload;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.fhir.support.Links;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Stopping the service (SIGTERM) while an upload waits for its outcome: the waiting request is answered at once with
 * the upload's status URL, instead of being cut off when the HTTP server closes. A profile of its own, so that the
 * stopped state does not reach other tests.
 */
@QuarkusTest
@TestProfile(UploadShutdownTest.Stopping.class)
@QuarkusTestResource(JwksTestResource.class)
@QuarkusTestResource(StandInIngest.class)
class UploadShutdownTest {

    /** The default configuration, in an application of its own. */
    public static class Stopping implements QuarkusTestProfile {
    }

    @Inject
    Event<ShutdownDelayInitiatedEvent> shutdown;

    @AfterEach
    void answerEverything() {
        StandInIngest.release();
    }

    @Test
    void aWaitingUploadIsAnsweredWithItsStatusUrlWhenTheServiceBeginsToStop() throws Exception {
        StandInIngest.HOLD.set(true);
        int before = StandInIngest.RECEIVED.size();
        CompletableFuture<Response> answer = CompletableFuture.supplyAsync(() -> given()
                .auth().oauth2(UploadResourceTest.PETER).contentType(UploadResourceTest.FHIR_JSON)
                .body(UploadResourceTest.sample("upload-bundle-blood-pressure.json"))
                .when().post("/FHIR/R5").then().extract().response());
        await().atMost(Duration.ofSeconds(10)).until(() -> StandInIngest.RECEIVED.size() > before);

        long stopping = System.nanoTime();
        shutdown.fire(new ShutdownDelayInitiatedEvent());
        Response response = answer.get(10, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(2));
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.header("Content-Location")).matches(Links.PUBLIC_URL + "/FHIR/R5/_upload/[0-9a-f-]{36}");
    }
}
