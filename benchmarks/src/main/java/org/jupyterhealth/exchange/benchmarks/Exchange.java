package org.jupyterhealth.exchange.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The running system a benchmark talks to, through the gateway: {@code JHE_BENCH_URL} (set by
 * {@code ./jhe bench}), and small helpers for tokens and JSON requests.
 */
public final class Exchange {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String DEMO_PASSWORD = "Jhe1234!";

    private final String baseUrl;
    private final HttpClient client;

    public Exchange() {
        this(System.getenv().getOrDefault("JHE_BENCH_URL", "http://localhost:8000"));
    }

    public Exchange(String baseUrl) {
        this.baseUrl = baseUrl.replaceAll("/$", "");
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    public String baseUrl() {
        return baseUrl;
    }

    public HttpClient client() {
        return client;
    }

    /** An access token of a demo user, by the password grant of the {@code jhe-demo} client. */
    public String passwordToken(String email) throws IOException, InterruptedException {
        return tokenResponse(Map.of("grant_type", "password", "client_id", "jhe-demo", "username", email,
                "password", DEMO_PASSWORD, "scope", "openid email read write")).get("access_token").asText();
    }

    /** POSTs a form to {@code /o/token/}; fails unless the answer is 200. */
    public JsonNode tokenResponse(Map<String, String> form) throws IOException, InterruptedException {
        HttpResponse<String> response = postForm("/o/token/", form, null);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("token request failed: " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    public HttpResponse<String> postForm(String path, Map<String, String> form, String basicAuth)
            throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (basicAuth != null) {
            request.header("Authorization", "Basic " + basicAuth);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String pathOrUrl, String token) throws IOException, InterruptedException {
        URI uri = URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : baseUrl + pathOrUrl);
        return client.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> postJson(String path, String token, String json, String contentType)
            throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
