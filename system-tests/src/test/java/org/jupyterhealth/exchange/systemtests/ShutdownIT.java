package org.jupyterhealth.exchange.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ./jhe stop SERVICE} (TERM, as Kubernetes sends it) while clients keep calling the service through the
 * gateway: the requests under way are answered, new ones are refused with 503 (or, once the gateway itself is gone,
 * cannot connect), nothing is cut off half way, and the process is gone within 5 seconds. The service is started
 * again afterwards.
 */
@Order(90)
@ExtendWith(SystemStack.class)
class ShutdownIT {
    private static final int CLIENTS = 6;
    /**
     * Each client's pause between requests: a stopped service's 503 comes back at once, and six clients looping
     * on it without a pause pass the gateway's per-client rate limit, whose 429 would hide what the test looks for.
     */
    private static final long PAUSE_MILLIS = 10;
    private static String token;

    @BeforeAll
    static void signIn() {
        token = EndToEndIT.passwordToken("manager_mary@example.com");
    }

    /** A request the stopping service answers, made through the gateway. */
    private static HttpRequest requestFor(String service) {
        String path = switch (service) {
            case "identity-service" -> "/o/userinfo";
            case "admin-service" -> "/api/v1/patients?organization_id=20003";
            case "fhir-service" -> "/fhir/r5/Observation?patient=40001";
            default -> "/api/v1/users/profile";
        };
        return HttpRequest.newBuilder(URI.create(SystemStack.BASE_URL + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build();
    }

    @ParameterizedTest
    @ValueSource(strings = { "admin-service", "fhir-service", "identity-service", "gateway" })
    void stopsWithinFiveSecondsWithoutCuttingOffARequest(String service) throws Exception {
        long pid = Long.parseLong(Files.readString(pidFile(service)).trim());
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int i = 0; i < CLIENTS; i++) {
            clients.submit(() -> {
                while (running.get()) {
                    outcomes.computeIfAbsent(send(client, requestFor(service)), k -> new AtomicLong())
                            .incrementAndGet();
                    try {
                        Thread.sleep(PAUSE_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }
        try {
            Thread.sleep(2000);
            assertThat(outcomes).as("requests answered before the stop").containsKey("200");

            long started = System.nanoTime();
            assertThat(SystemStack.jhe("stop", service)).isZero();
            long stopped = System.nanoTime();
            Thread.sleep(1000);
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(40, TimeUnit.SECONDS)).isTrue();

            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(Duration.ofNanos(stopped - started)).as("./jhe stop " + service)
                    .isLessThan(Duration.ofSeconds(5));
            Map<String, Long> seen = new TreeMap<>();
            outcomes.forEach((outcome, count) -> seen.put(outcome, count.get()));
            // behind the gateway a stopping service's requests are answered (200) or refused (503), never lost;
            // when the gateway itself stops, a connection opened as it closes its port is refused or reset before
            // any answer, as no process can take new connections while it leaves
            List<String> allowed = service.equals("gateway") ? List.of("200", "503", "refused", "reset")
                    : List.of("200", "503");
            assertThat(seen.keySet()).as("answers while " + service + " stopped: " + seen).isSubsetOf(allowed);
        } finally {
            running.set(false);
            clients.shutdownNow();
            assertThat(SystemStack.jhe("start", service)).isZero();
        }
    }

    private static Path pidFile(String service) {
        return SystemStack.ROOT.resolve(".jhe/" + SystemStack.PORTS.folder() + "/pids/" + service + ".pid");
    }

    /**
     * The status code; "refused" when nothing listens; "reset" when the connection was reset before any answer;
     * otherwise the failure, as when an answer is cut off.
     */
    private static String send(HttpClient client, HttpRequest request) {
        try {
            return Integer.toString(client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
        } catch (ConnectException e) {
            return "refused";
        } catch (IOException e) {
            if (e.getMessage() != null && (e.getMessage().contains("Connection reset")
                    || e.getMessage().contains("header parser received no bytes"))) {
                return "reset";
            }
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
