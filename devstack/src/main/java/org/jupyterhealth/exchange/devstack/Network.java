package org.jupyterhealth.exchange.devstack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Whether something listens on a local port, and whether a service reports ready. */
final class Network {
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"(\\w+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .version(HttpClient.Version.HTTP_1_1).build();

    private Network() {
    }

    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether {@code /q/health/ready} on a management port answers UP (database and Kafka reachable). */
    static boolean ready(int managementPort) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                + "/q/health/ready")).timeout(Duration.ofSeconds(3)).build();
        try {
            return reportsUp(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether a health document's overall status (its first, before those of the checks) is UP. */
    static boolean reportsUp(String health) {
        Matcher status = STATUS.matcher(health);
        return status.find() && "UP".equals(status.group(1));
    }
}
