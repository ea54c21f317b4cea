package org.jupyterhealth.exchange.gateway.routing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stand-ins for the four services behind the gateway, so that its routing can be observed: each answers with
 * its name, the path and query it received, the request id and forwarding headers, and the body size.
 * {@code /slow} never answers in time; {@code /large} answers {@link #largeBody()}; {@code /flaky} closes the
 * connection without an answer every other time, {@code /gone} every time; the fhir stand-in is reachable, the "down" address never is.
 */
public class FakeServices implements QuarkusTestResourceLifecycleManager {
    private static final AtomicInteger FLAKY = new AtomicInteger();
    private final Map<String, HttpServer> servers = new HashMap<>();

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        for (String name : new String[] { "identity", "admin", "fhir", "console" }) {
            HttpServer server = serve(name);
            servers.put(name, server);
            config.put("jhe.gateway." + name + "-url", "http://127.0.0.1:" + server.getAddress().getPort());
        }
        config.put("jhe.gateway.upstream-timeout", "1s");
        return config;
    }

    @Override
    public void stop() {
        servers.values().forEach(s -> s.stop(0));
    }

    /** A loopback port on which nothing listens. */
    public static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An answer several times larger than the pieces the gateway hands on at once: 300,000 bytes, none alike in a row. */
    public static byte[] largeBody() {
        StringBuilder text = new StringBuilder(300_000);
        for (int i = 0; text.length() < 300_000; i++) {
            text.append(i).append(',');
        }
        text.setLength(300_000);
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static HttpServer serve(String name) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.createContext("/", exchange -> answer(name, exchange));
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void answer(String name, HttpExchange exchange) throws IOException {
        long size = 0;
        try (InputStream body = exchange.getRequestBody()) {
            byte[] buffer = new byte[65536];
            for (int n; (n = body.read(buffer)) > 0;) {
                size += n;
            }
        }
        if (exchange.getRequestURI().getPath().endsWith("/gone")
                || exchange.getRequestURI().getPath().endsWith("/flaky") && FLAKY.getAndIncrement() % 2 == 0) {
            // as a service that is stopping: the connection closes without an answer
            exchange.close();
            return;
        }
        if (exchange.getRequestURI().getPath().endsWith("/slow")) {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (exchange.getRequestURI().getPath().endsWith("/large")) {
            byte[] large = largeBody();
            exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
            exchange.sendResponseHeaders(200, large.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(large);
            }
            return;
        }
        var headers = exchange.getRequestHeaders();
        String json = "{\"service\":\"" + name + "\""
                + ",\"path\":\"" + exchange.getRequestURI().getRawPath() + "\""
                + ",\"query\":\"" + (exchange.getRequestURI().getRawQuery() == null ? "" : exchange.getRequestURI().getRawQuery()) + "\""
                + ",\"requestId\":\"" + headers.getFirst("X-Request-Id") + "\""
                + ",\"forwardedHost\":\"" + headers.getFirst("X-Forwarded-Host") + "\""
                + ",\"forwardedProto\":\"" + headers.getFirst("X-Forwarded-Proto") + "\""
                + ",\"forwardedFor\":\"" + headers.getFirst("X-Forwarded-For") + "\""
                + ",\"authorization\":\"" + headers.getFirst("Authorization") + "\""
                + ",\"bodySize\":" + size + "}";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("X-Request-Id", headers.getFirst("X-Request-Id"));
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
