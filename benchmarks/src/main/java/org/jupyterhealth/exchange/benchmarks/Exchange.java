package org.jupyterhealth.exchange.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The running system a benchmark talks to, through the gateway: {@code JHE_BENCH_URL} (set by
 * {@code ./jhe bench}), and small helpers for tokens and JSON requests. Each thread has its own keep-alive
 * connection ({@link HttpConnection}), as each client of a closed-loop load does.
 */
public final class Exchange {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String DEMO_PASSWORD = "Jhe1234!";
    /** The services' slots ({@link #servicePort}). */
    public static final int IDENTITY_SERVICE = 1;
    public static final int FHIR_SERVICE = 3;

    private final String baseUrl;
    private final URI base;
    private final ThreadLocal<HttpConnection> connections;

    /** An answer: its status, its headers (names in lower case) and its body. */
    public record Response(int statusCode, Map<String, String> headers, String body) {
    }

    public Exchange() {
        this(System.getenv().getOrDefault("JHE_BENCH_URL", "http://localhost:8000"));
    }

    public Exchange(String baseUrl) {
        this.baseUrl = baseUrl.replaceAll("/$", "");
        this.base = URI.create(this.baseUrl);
        this.connections = ThreadLocal.withInitial(() -> new HttpConnection(base));
    }

    public String baseUrl() {
        return baseUrl;
    }

    /**
     * A service's HTTP port on a stack {@code ./jhe} starts: the gateway's port + 80 + the service's slot
     * ({@link #IDENTITY_SERVICE} 1, admin-service 2, {@link #FHIR_SERVICE} 3, ingest-service 4).
     */
    public static int servicePort(int gatewayPort, int slot) {
        return gatewayPort + 80 + slot;
    }

    /** The same stack's service of that slot, on its own port beside the gateway's: no gateway in between. */
    public Exchange service(int slot) {
        return new Exchange(base.getScheme() + "://" + base.getHost() + ":" + servicePort(base.getPort(), slot));
    }

    /** An access token of a demo user, by the password grant of the {@code jhe-demo} client. */
    public String passwordToken(String email) throws IOException {
        return tokenResponse(Map.of("grant_type", "password", "client_id", "jhe-demo", "username", email,
                "password", DEMO_PASSWORD, "scope", "openid email read write")).get("access_token").asText();
    }

    /** POSTs a form to {@code /o/token/}; fails unless the answer is 200. */
    public JsonNode tokenResponse(Map<String, String> form) throws IOException {
        Response response = postForm("/o/token/", form, null);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token request failed: " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    public Response postForm(String path, Map<String, String> form, String basicAuth) throws IOException {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        if (basicAuth != null) {
            headers.put("Authorization", "Basic " + basicAuth);
        }
        return connections.get().send("POST", path, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    /** GET a path of the gateway, or a URL it gave (a {@code next} link). */
    public Response get(String pathOrUrl, String token) throws IOException {
        return connections.get().send("GET", pathOf(pathOrUrl), Map.of("Authorization", "Bearer " + token), null);
    }

    /** GET a path with these request headers (e.g. a console session's cookies) and no token. */
    public Response get(String path, Map<String, String> headers) throws IOException {
        return connections.get().send("GET", pathOf(path), headers, null);
    }

    public Response postJson(String path, String token, String json, String contentType) throws IOException {
        return connections.get().send("POST", path, Map.of("Authorization", "Bearer " + token,
                "Content-Type", contentType), json.getBytes(StandardCharsets.UTF_8));
    }

    /** POST JSON with more request headers (e.g. the FHIR source a write names). */
    public Response postJson(String path, String token, String json, String contentType, Map<String, String> more)
            throws IOException {
        Map<String, String> headers = new LinkedHashMap<>(more);
        headers.put("Authorization", "Bearer " + token);
        headers.put("Content-Type", contentType);
        return connections.get().send("POST", path, headers, json.getBytes(StandardCharsets.UTF_8));
    }

    private static String pathOf(String pathOrUrl) {
        if (!pathOrUrl.startsWith("http")) {
            return pathOrUrl;
        }
        URI uri = URI.create(pathOrUrl);
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }
}
