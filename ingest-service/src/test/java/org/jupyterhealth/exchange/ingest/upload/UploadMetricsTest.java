package org.jupyterhealth.exchange.ingest.upload;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.BLOOD_GLUCOSE;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.HEART_RATE;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.PETER;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.PETER_USER;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.testing.ManagementPort;
import org.jupyterhealth.exchange.common.upload.UploadEnvelope;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Prometheus metrics of the upload path: uploads, entries by status, refusals by check, and consumer lag. */
@QuarkusTest
@QuarkusTestResource(StandInAdmin.class)
class UploadMetricsTest {
    static UploadTopics topics;

    @BeforeAll
    static void connect() {
        topics = new UploadTopics();
    }

    @AfterAll
    static void disconnect() {
        topics.close();
    }

    /** The value of one series (name and labels exactly as Prometheus prints them), 0 when absent. */
    static double metric(String metrics, String series) {
        return metrics.lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).trim())).sum();
    }

    static String metrics() {
        return given().when().get(ManagementPort.url("metrics")).then().statusCode(200).extract().asString();
    }

    @Test
    void countsUploadsEntriesByStatusAndRefusalsByCheck() {
        String before = metrics();
        UploadEnvelope upload = Fixtures.batch(PETER_USER, Fixtures.observation(PETER, HEART_RATE),
                Fixtures.observation(PETER, BLOOD_GLUCOSE));

        topics.send(upload);
        topics.awaitResult(upload.uploadId());

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String after = metrics();
            assertThat(metric(after, "jhe_uploads_total{bundle_type=\"batch\",outcome=\"processed\"}"))
                    .isGreaterThan(metric(before, "jhe_uploads_total{bundle_type=\"batch\",outcome=\"processed\"}"));
            assertThat(metric(after, "jhe_upload_entries_total{status=\"201\"}"))
                    .isGreaterThanOrEqualTo(metric(before, "jhe_upload_entries_total{status=\"201\"}") + 1);
            assertThat(metric(after, "jhe_upload_validation_failures_total{reason=\"consent\"}"))
                    .isGreaterThanOrEqualTo(metric(before,
                            "jhe_upload_validation_failures_total{reason=\"consent\"}") + 1);
            assertThat(after).contains("jhe_upload_processing_seconds_count");
            assertThat(after).contains("kafka_consumer_fetch_manager_records_lag");
        });
    }
}
