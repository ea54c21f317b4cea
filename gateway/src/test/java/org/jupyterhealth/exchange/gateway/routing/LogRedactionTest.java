package org.jupyterhealth.exchange.gateway.routing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** An invitation token in a request path never reaches the gateway's log: neither its access log nor its warnings. */
@QuarkusTest
@QuarkusTestResource(FakeServices.class)
class LogRedactionTest {
    private static final String TOKEN = "Zq8WmT3kLp0vXr5sYb7nHc2dJf9gAe4u";
    private static final Logger GATEWAY = Logger.getLogger("org.jupyterhealth.exchange.gateway");

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureTheGatewaysLog() {
        GATEWAY.addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        GATEWAY.removeHandler(capture);
    }

    @Test
    void theAccessLogNamesTheRedemptionPathWithoutItsToken() {
        given().when().post("/api/v1/invitation/" + TOKEN).then().statusCode(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> lines.stream().anyMatch(l -> l.startsWith("POST /api/v1/")));
        assertThat(lines).noneMatch(l -> l.contains(TOKEN))
                .anyMatch(l -> l.startsWith("POST /api/v1/invitation/{token} 200 "));
    }

    @Test
    void theWarningAboutAFailedServiceNamesThePathWithoutItsToken() {
        given().when().post("/api/v1/invitation/" + TOKEN + "/slow").then().statusCode(504);

        await().atMost(Duration.ofSeconds(5)).until(() -> lines.stream().anyMatch(l -> l.startsWith("upstream ")));
        assertThat(lines).noneMatch(l -> l.contains(TOKEN))
                .anyMatch(l -> l.startsWith("upstream admin-service failed for /api/v1/invitation/{token}/"));
    }

    @Test
    void anEscapedSpellingOfThePathIsRedactedToo() {
        given().urlEncodingEnabled(false).when().post("/api/v1/%69nvitation/" + TOKEN).then().statusCode(200);

        await().atMost(Duration.ofSeconds(5)).until(() -> lines.stream().anyMatch(l -> l.startsWith("POST /api/v1/")));
        assertThat(lines).noneMatch(l -> l.contains(TOKEN))
                .anyMatch(l -> l.startsWith("POST /api/v1/%69nvitation/{token} 200 "));
    }
}
