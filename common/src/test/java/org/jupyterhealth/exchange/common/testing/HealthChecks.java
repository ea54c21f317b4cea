package org.jupyterhealth.exchange.common.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Duration;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What every service with a database and Kafka promises about its health: liveness and readiness (the real
 * PostgreSQL and Kafka connections) are reported on the management port ({@link ManagementPort}); the public port
 * serves neither health nor metrics. A service's {@code HealthTest} extends it, as a {@code @QuarkusTest} with the
 * stand-ins that service needs to start.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class HealthChecks {

    /**
     * The connection readiness's Kafka check asks the broker through is made at start (common {@code
     * KafkaHealthWarmUp}), not by the first probe, which the service would not be ready before. First of these tests,
     * and no other test of a service asks for readiness: only the start can have made it.
     */
    @Test
    @Order(1)
    void connectsReadinessToTheBrokerAtStartBeforeAnyProbe() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!kafkaAdminClientRunning() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(kafkaAdminClientRunning()).as("the Kafka admin client's network thread, before any probe").isTrue();
    }

    private static boolean kafkaAdminClientRunning() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().startsWith("kafka-admin-client-thread"));
    }

    @Test
    void isLive() {
        given().when().get(ManagementPort.url("health/live")).then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void isReadyWithItsDatabaseAndKafkaConnectionsUp() {
        given()
                .when().get(ManagementPort.url("health/ready"))
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("PostgreSQL")))
                .body("checks.name", hasItem(containsString("Kafka")));
    }

    /**
     * The database is asked through the reactive pool the service serves with, never through the JDBC datasource
     * it does not serve with: that check would open a JDBC connection at the first probe and keep it in the pool.
     */
    @Test
    void asksPostgreSqlThroughItsReactivePoolOnly() {
        given()
                .when().get(ManagementPort.url("health/ready"))
                .then().statusCode(200)
                .body("checks.name", hasItem("Reactive PostgreSQL connections health check"))
                .body("checks.name", not(hasItem("Database connections health check")));
    }

    @ParameterizedTest
    @ValueSource(strings = { "/q/health", "/q/health/live", "/q/health/ready", "/q/metrics" })
    void servesNoHealthOrMetricsOnThePublicPort(String path) {
        given().when().get(path).then().statusCode(404);
    }
}
