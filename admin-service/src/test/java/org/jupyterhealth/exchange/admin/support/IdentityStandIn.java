package org.jupyterhealth.exchange.admin.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jupyterhealth.exchange.common.security.JheClaims;
import org.jupyterhealth.exchange.common.testing.ContractCheck;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.common.testing.StandInServer;
import org.jupyterhealth.exchange.common.testing.TestTokens;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A small stand-in for identity-service's HTTP API, as admin-service's tests need it: the JWKS of
 * {@link TestTokens}, the token endpoint (client credentials for {@code admin-service}), and the {@code /internal}
 * accounts (with their activation links), clients and authorization codes of docs/internal-api.md, kept in memory
 * with the demo users. Every {@code /internal} request it receives and answer it gives is checked against
 * docs/internal-api.yaml ({@link ContractCheck#standIn}): a mismatch is answered 500 and fails the test.
 */
public class IdentityStandIn implements QuarkusTestResourceLifecycleManager {
    public static final String ADMIN_CLIENT_SECRET = "admin-service-test-secret";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The body text of the request being answered, for the contract check (one request at a time a thread). */
    private static final ThreadLocal<String> REQUEST_BODY = new ThreadLocal<>();

    public static final Map<Long, Map<String, Object>> ACCOUNTS = new ConcurrentHashMap<>();
    /** Accounts that a later registration found (identity-service then refuses to undo their creation). */
    static final Set<Long> REGISTERED_AGAIN = ConcurrentHashMap.newKeySet();
    public static final Map<Long, Map<String, Object>> CLIENTS = new ConcurrentHashMap<>();
    public static final List<Map<String, Object>> ISSUED_CODES = new CopyOnWriteArrayList<>();
    /** Every activation link issued, oldest first: {@code accountId}, {@code link}, {@code expiresAt}. */
    public static final List<Map<String, Object>> ISSUED_ACTIVATIONS = new CopyOnWriteArrayList<>();
    /** Accounts that have a password: an activation of one is refused with 409. */
    public static final Set<Long> ACTIVE = ConcurrentHashMap.newKeySet();
    /** Every account deleted (as it was), in order, whether undoing a creation or not. */
    public static final List<Map<String, Object>> DELETED_ACCOUNTS = new CopyOnWriteArrayList<>();
    /** Set to make only the activation endpoint answer this status (an outage at that call); null for service. */
    public static final AtomicReference<Integer> FAIL_ACTIVATION_WITH = new AtomicReference<>();
    /** The accounts an organization requires a passkey of, as admin-service last said. */
    public static final Set<Long> PASSKEY_REQUIRED = ConcurrentHashMap.newKeySet();
    /** How many times admin-service told which accounts need a passkey. */
    public static final AtomicLong PASSKEY_REQUIREMENT_CALLS = new AtomicLong();
    /** Set to make only the passkey requirement endpoint answer this status; null for service. */
    public static final AtomicReference<Integer> FAIL_PASSKEY_REQUIREMENTS_WITH = new AtomicReference<>();
    /** Set to make /internal answer this status (simulating an outage); null for normal service. */
    public static final AtomicReference<Integer> FAIL_WITH = new AtomicReference<>();
    private static final AtomicLong NEXT_ACCOUNT = new AtomicLong(11001);
    private static final AtomicLong NEXT_CLIENT = new AtomicLong(101);
    private static final Map<String, Boolean> ISSUED_TOKENS = new ConcurrentHashMap<>();
    private static final SecureRandom RANDOM = new SecureRandom();

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        seed();
        server = StandInServer.open(0);
        server.createContext("/o/.well-known/jwks.json", ex -> send(ex, 200, JwksTestResource.jwks()));
        server.createContext("/o/token", this::token);
        server.createContext("/internal/", this::internal);
        server.start();
        return Map.of("quarkus.oidc.auth-server-url", StandInServer.url(server) + "/o",
                "jhe.admin.service-client-secret", ADMIN_CLIENT_SECRET);
    }

    @Override
    public void stop() {
        StandInServer.stop(server);
    }

    private static void seed() {
        Object[][] demo = {
                { 10001L, "admin@example.com", "Alex", "Admin", null, true },
                { 10002L, "manager_mary@example.com", "Mary", "Mayer", "practitioner", false },
                { 10003L, "member_megan@example.com", "Megan", "Moore", "practitioner", false },
                { 10004L, "viewer_victor@example.com", "Victor", "Vance", "practitioner", false },
                { 10005L, "three_org_tom@example.com", "Tom", "Tanaka", "practitioner", false },
                { 10006L, "ll_patient_peter@example.com", "Peter", "Park", "patient", false },
                { 10007L, "ll_patient_pamela@example.com", "Pamela", "Perez", "patient", false },
                { 10008L, "manager_mark@example.com", "Mark", "Miller", "practitioner", false },
                { 10009L, "npl_patient_percy@example.com", "Percy", "Price", "patient", false },
                { 10010L, "ccl_patient_paul@example.com", "Paul", "Patel", "patient", false },
                { 10011L, "ccl_cardio_patient_pat@example.com", "Pat", "Powell", "patient", false } };
        for (Object[] u : demo) {
            Map<String, Object> account = new LinkedHashMap<>();
            account.put("id", u[0]);
            account.put("email", u[1]);
            account.put("firstName", u[2]);
            account.put("lastName", u[3]);
            account.put("userType", u[4]);
            account.put("isSuperuser", u[5]);
            ACCOUNTS.put((Long) u[0], account);
        }
        CLIENTS.put(1L, client(1, "carex", "CareX", "https://carex.ai/invitation/CODE"));
        CLIENTS.put(2L, client(2, "commonhealth", "CommonHealth", "https://commonhealth.tcp.org?invitation=CODE"));
        CLIENTS.put(3L, client(3, "patient-access", "Patient Access",
                "http://localhost:8001/clients/patient-access/?code=CODE"));
    }

    /** The answer to a registration: the account, and whether this call created it. */
    private static Map<String, Object> registration(Map<String, Object> account, boolean created) {
        Map<String, Object> answer = new LinkedHashMap<>(account);
        answer.put("created", created);
        return answer;
    }

    private static Map<String, Object> client(long id, String clientId, String name, String invitationUrl) {
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("id", id);
        client.put("clientId", clientId);
        client.put("name", name);
        client.put("clientType", "public");
        client.put("grantTypes", List.of("authorization_code", "refresh_token"));
        client.put("redirectUris", List.of("http://localhost:8000/auth/callback"));
        client.put("invitationUrl", invitationUrl);
        client.put("ownerUserId", null);
        return client;
    }

    /** A new account as identity-service would create it (for tests that need one admin-service does not know). */
    public static long createAccount(String email, String userType) {
        long id = NEXT_ACCOUNT.getAndIncrement();
        Map<String, Object> account = new LinkedHashMap<>();
        account.put("id", id);
        account.put("email", email);
        account.put("firstName", "");
        account.put("lastName", "");
        account.put("userType", userType);
        account.put("isSuperuser", false);
        ACCOUNTS.put(id, account);
        return id;
    }

    public static Optional<Map<String, Object>> accountByEmail(String email) {
        return ACCOUNTS.values().stream().filter(a -> email.equalsIgnoreCase((String) a.get("email"))).findFirst();
    }

    private void token(HttpExchange ex) throws IOException {
        String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String basic = "Basic " + Base64.getEncoder().encodeToString(("admin-service:" + ADMIN_CLIENT_SECRET)
                .getBytes(StandardCharsets.UTF_8));
        boolean authenticated = basic.equals(auth)
                || (form.contains("client_id=admin-service") && form.contains("client_secret=" + ADMIN_CLIENT_SECRET));
        if (!form.contains("grant_type=client_credentials") || !authenticated) {
            send(ex, 401, Map.of("error", "invalid_client"));
            return;
        }
        String token = serviceToken("admin-service");
        ISSUED_TOKENS.put(token, true);
        send(ex, 200, Map.of("access_token", token, "token_type", "Bearer", "expires_in", 3600, "scope", "internal"));
    }

    /** A client-credentials token of a service, as identity-service issues them. */
    public static String serviceToken(String service) {
        return TestTokens.sign(TestTokens.claims(0, service + "@services", null, false)
                .subject(service)
                .claim(JheClaims.SERVICE, service)
                .claim(JheClaims.CLIENT_ID, service)
                .claim(JheClaims.SCOPE, "internal"));
    }

    @SuppressWarnings("unchecked")
    private void internal(HttpExchange ex) throws IOException {
        byte[] requestBytes = ex.getRequestBody().readAllBytes();
        REQUEST_BODY.set(new String(requestBytes, StandardCharsets.UTF_8));
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !ISSUED_TOKENS.containsKey(auth.substring(7))) {
            send(ex, 401, Map.of("detail", "Authentication credentials were not provided."));
            return;
        }
        Integer failure = FAIL_WITH.get();
        if (failure != null) {
            send(ex, failure, Map.of("detail", "down"));
            return;
        }
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        Map<String, Object> body = readBody(requestBytes);
        String[] parts = path.split("/");
        if (path.equals("/internal/accounts") && method.equals("POST")) {
            String email = (String) body.get("email");
            Optional<Map<String, Object>> existing = accountByEmail(email);
            if (existing.isPresent()) {
                REGISTERED_AGAIN.add(((Number) existing.get().get("id")).longValue());
                send(ex, 200, registration(existing.get(), false));
                return;
            }
            long id = createAccount(email, (String) body.get("userType"));
            Map<String, Object> account = ACCOUNTS.get(id);
            account.put("firstName", body.getOrDefault("firstName", ""));
            account.put("lastName", body.getOrDefault("lastName", ""));
            send(ex, 201, registration(account, true));
        } else if (path.equals("/internal/accounts/passkey-requirements") && method.equals("PUT")) {
            Integer passkeyFailure = FAIL_PASSKEY_REQUIREMENTS_WITH.get();
            if (passkeyFailure != null) {
                send(ex, passkeyFailure, Map.of("detail", "down"));
                return;
            }
            for (Object id : (List<Object>) body.getOrDefault("required", List.of())) {
                PASSKEY_REQUIRED.add(((Number) id).longValue());
            }
            for (Object id : (List<Object>) body.getOrDefault("notRequired", List.of())) {
                PASSKEY_REQUIRED.remove(((Number) id).longValue());
            }
            PASSKEY_REQUIREMENT_CALLS.incrementAndGet();
            send(ex, 204, null);
        } else if (path.startsWith("/internal/accounts/") && parts.length == 4) {
            long id = Long.parseLong(parts[3]);
            Map<String, Object> account = ACCOUNTS.get(id);
            if (account == null) {
                send(ex, 404, Map.of("detail", "Not found."));
            } else if (method.equals("GET")) {
                send(ex, 200, account);
            } else if (method.equals("PATCH")) {
                body.forEach((k, v) -> {
                    if (v != null) {
                        account.put(k, v);
                    }
                });
                send(ex, 200, account);
            } else if (method.equals("DELETE")) {
                String query = ex.getRequestURI().getQuery();
                if (query != null && query.contains("onlyIfUnused=true") && REGISTERED_AGAIN.contains(id)) {
                    send(ex, 409, Map.of("detail", "The account is in use."));
                    return;
                }
                DELETED_ACCOUNTS.add(ACCOUNTS.remove(id));
                send(ex, 204, null);
            }
        } else if (path.startsWith("/internal/accounts/") && parts.length == 5 && parts[4].equals("activation")
                && method.equals("POST")) {
            activation(ex, Long.parseLong(parts[3]));
        } else if (path.equals("/internal/clients") && method.equals("POST")) {
            long id = NEXT_CLIENT.getAndIncrement();
            Map<String, Object> client = client(id, (String) body.get("clientId"), (String) body.get("name"),
                    (String) body.get("invitationUrl"));
            if (client.get("clientId") == null) {
                client.put("clientId", UUID.randomUUID().toString().replace("-", "").substring(0, 16));
            }
            client.put("clientType", body.get("clientType"));
            client.put("grantTypes", body.getOrDefault("grantTypes", List.of()));
            client.put("redirectUris", body.getOrDefault("redirectUris", List.of()));
            client.put("ownerUserId", body.get("ownerUserId"));
            CLIENTS.put(id, client);
            Map<String, Object> answer = new LinkedHashMap<>(client);
            if ("confidential".equals(client.get("clientType"))) {
                answer.put("clientSecret", UUID.randomUUID().toString().replace("-", ""));
            }
            send(ex, 201, answer);
        } else if (path.startsWith("/internal/clients/") && parts.length == 4) {
            long id = Long.parseLong(parts[3]);
            Map<String, Object> client = CLIENTS.get(id);
            if (client == null) {
                send(ex, 404, Map.of("detail", "Not found."));
            } else if (method.equals("GET")) {
                send(ex, 200, client);
            } else if (method.equals("PATCH")) {
                body.forEach((k, v) -> {
                    if (v != null) {
                        client.put(k, v);
                    }
                });
                send(ex, 200, client);
            } else if (method.equals("DELETE")) {
                CLIENTS.remove(id);
                send(ex, 204, null);
            }
        } else if (path.equals("/internal/authorization-codes") && method.equals("POST")) {
            Map<String, Object> client = CLIENTS.get(((Number) body.get("clientId")).longValue());
            if (client == null) {
                send(ex, 400, Map.of("detail", "Unknown client.", "errors", Map.of("clientId", List.of(
                        "Unknown client."))));
                return;
            }
            Map<String, Object> issued = new LinkedHashMap<>(body);
            String code = UUID.randomUUID().toString().replace("-", "").substring(0, 30);
            issued.put("code", code);
            ISSUED_CODES.add(issued);
            Object redirect = body.get("redirectUri");
            send(ex, 201, Map.of("code", code, "clientId", client.get("clientId"),
                    "redirectUri", redirect == null ? ((List<String>) client.get("redirectUris")).get(0) : redirect,
                    "expiresAt", Instant.now().plusSeconds(((Number) body.get("expiresInSeconds")).longValue())
                            .toString()));
        } else {
            send(ex, 404, Map.of("detail", "Not found."));
        }
    }

    /** A new activation link, as identity-service issues it: a one-time token of 32 random bytes, 3 days. */
    private static void activation(HttpExchange ex, long id) throws IOException {
        Integer failure = FAIL_ACTIVATION_WITH.get();
        if (failure != null) {
            send(ex, failure, Map.of("detail", "down"));
        } else if (!ACCOUNTS.containsKey(id)) {
            send(ex, 404, Map.of("detail", "Not found."));
        } else if (ACTIVE.contains(id)) {
            send(ex, 409, Map.of("detail", "The account is already active."));
        } else {
            byte[] token = new byte[32];
            RANDOM.nextBytes(token);
            String link = "http://localhost:8000/o/activate?token="
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(token);
            String expiresAt = Instant.now().plus(Duration.ofDays(3)).toString();
            ISSUED_ACTIVATIONS.add(Map.of("accountId", id, "link", link, "expiresAt", expiresAt));
            send(ex, 201, Map.of("link", link, "expiresAt", expiresAt));
        }
    }

    /** The activation links issued for an account, oldest first. */
    public static List<String> activationLinks(long accountId) {
        return ISSUED_ACTIVATIONS.stream().filter(a -> ((Long) a.get("accountId")) == accountId)
                .map(a -> (String) a.get("link")).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readBody(byte[] bytes) throws IOException {
        if (bytes.length == 0) {
            return new LinkedHashMap<>();
        }
        return JSON.readValue(bytes, LinkedHashMap.class);
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        if (ex.getRequestURI().getPath().startsWith("/internal/")) {
            String answer = body == null ? "" : body instanceof String s ? s : JSON.writeValueAsString(body);
            List<String> problems = ContractCheck.standIn(ex.getRequestMethod(), ex.getRequestURI(),
                    REQUEST_BODY.get(), status, answer);
            if (!problems.isEmpty()) {
                status = 500;
                body = Map.of("detail", "The stand-in broke the contract: " + problems);
            }
        }
        if (body == null) {
            ex.sendResponseHeaders(status, -1);
            ex.close();
            return;
        }
        byte[] bytes = body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(body);
        StandInServer.sendJson(ex, status, bytes);
    }
}
