package org.jupyterhealth.exchange.systemtests;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jupyterhealth.exchange.systemtests.Probe.Expect;

/**
 * Probes of what every path shares at the gateway: bodies around the size limit (announced and chunked), a URL
 * and a header longer than the server reads, paths that try to reach {@code /internal}, and forged
 * {@code Host}/forwarding headers, which must never become the public URLs the answers link to.
 */
final class GatewayProbes {
    /** The host the forged headers name: it must not appear in any answer. */
    static final String EVIL_HOST = "evil.example";
    /** The largest body the exchange accepts ({@code JHE_MAX_BODY_SIZE}, documented default 20 MiB). */
    static final int MAX_BODY = Integer.parseInt(System.getenv().getOrDefault("JHE_MAX_BODY_SIZE", "20971520"));
    /** Quarkus's own default body limit, below the exchange's: a body between the two must still get an answer. */
    static final int SERVER_DEFAULT_LIMIT = 10 * 1024 * 1024;

    private GatewayProbes() {
    }

    /** One POST target per service and dialect, with the persona and content type it takes. */
    private record Target(String path, String persona, String contentType) {
    }

    private static final List<Target> BODY_TARGETS = List.of(
            new Target("/api/v1/patients", "superuser", "application/json"),
            new Target("/api/v1/invitation/" + "A".repeat(32), null, "application/json"),
            new Target("/fhir/r5/", FhirProbes.UPLOADER, Uploads.FHIR_JSON),
            new Target("/FHIR/R5", FhirProbes.UPLOADER, Uploads.FHIR_JSON),
            new Target("/fhir/r5/Observation", FhirProbes.UPLOADER, Uploads.FHIR_JSON),
            new Target("/o/token/", null, "application/x-www-form-urlencoded"),
            new Target("/o/authorize/", null, "application/x-www-form-urlencoded"));

    /** Bodies just over the limit (announced and chunked), and one between Quarkus's default and the limit. */
    static List<Probe> sizes() {
        List<Probe> probes = new ArrayList<>();
        byte[] over = filler(MAX_BODY + 1);
        byte[] between = filler(Math.min(SERVER_DEFAULT_LIMIT + 1, MAX_BODY));
        for (Target target : BODY_TARGETS) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", target.contentType());
            probes.add(new Probe("body of limit + 1 bytes", target.persona(), "POST", target.path(), headers, over,
                    false, Expect.TOO_LARGE, List.of()));
            probes.add(new Probe("chunked body of limit + 1 bytes", target.persona(), "POST", target.path(), headers,
                    over, true, Expect.TOO_LARGE, List.of()));
            if (between.length < MAX_BODY) {
                probes.add(new Probe("body of " + between.length + " bytes (within the limit)", target.persona(),
                        "POST", target.path(), headers, between, false, Expect.ANY, List.of()));
            }
        }
        return probes;
    }

    /** A body of that size: a JSON object with one long string (form endpoints see one long field). */
    private static byte[] filler(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) 'a');
        byte[] head = "{\"a\":\"".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, body, 0, head.length);
        body[size - 2] = '"';
        body[size - 1] = '}';
        return body;
    }

    static List<Probe> probes() {
        List<Probe> probes = new ArrayList<>();
        String longValue = "q".repeat(10_000);
        for (String path : List.of("/api/v1/patients", "/fhir/r5/Observation", "/o/authorize/",
                "/o/.well-known/openid-configuration")) {
            probes.add(get("10,000-character query", "manager", path + "?name=" + longValue, Expect.ANY,
                    new LinkedHashMap<>()));
            Map<String, String> big = new LinkedHashMap<>();
            big.put("X-Probe", "h".repeat(40_000));
            probes.add(get("40,000-byte header", "manager", path, Expect.ANY, big));
        }
        for (String path : List.of("/api/v1/patients/" + "9".repeat(5_000),
                "/fhir/r5/Observation/" + "9".repeat(5_000))) {
            probes.add(get("5,000-digit id", "manager", path, Expect.REJECTED, new LinkedHashMap<>()));
        }
        for (String path : List.of("/internal/accounts", "/api/v1/..%2F..%2Finternal%2Faccounts",
                "/api/v1/../../internal/accounts", "/fhir/r5/..%2F..%2Finternal%2Faccess%2Fobservations",
                "/fhir/r5/../../internal/access/observations", "//internal/accounts", "/%69nternal/accounts",
                "/INTERNAL/accounts", "/api/v1/%2e%2e/%2e%2e/internal/accounts", "/o/..;/internal/accounts",
                "/api/v1/patients/..;/..;/..;/internal/accounts", "/internal%2Faccounts",
                "/q/health/../../internal/codes")) {
            probes.add(get("path to /internal " + path, "superuser", path, Expect.REJECTED, new LinkedHashMap<>()));
        }
        // forged host and forwarding headers never become the public URLs of an answer
        List<Map<String, String>> forgeries = new ArrayList<>();
        forgeries.add(Map.of("Host", EVIL_HOST));
        forgeries.add(Map.of("X-Forwarded-Host", EVIL_HOST, "X-Forwarded-Proto", "https"));
        forgeries.add(Map.of("Forwarded", "host=" + EVIL_HOST + ";proto=https"));
        forgeries.add(Map.of("X-Forwarded-Host", EVIL_HOST, "X-Forwarded-Port", "1", "X-Forwarded-Prefix", "/evil"));
        for (Map<String, String> forged : forgeries) {
            for (String[] request : List.of(new String[] { null, "/o/.well-known/openid-configuration" },
                    new String[] { null, "/fhir/r5/metadata" },
                    new String[] { null, "/fhir/r5/.well-known/smart-configuration" },
                    new String[] { "superuser", "/api/v1/organizations?limit=1" },
                    new String[] { "manager", "/api/v1/patients?page_size=1" },
                    new String[] { "manager", "/fhir/r5/Observation?_count=1" },
                    new String[] { "patient", "/FHIR/R5/Observation?_count=1" },
                    new String[] { "manager", "/api/v1/observations?organization_id=20003&limit=1" },
                    new String[] { "manager", "/api/v1/patients/40001/invitation_link" })) {
                probes.add(get("forged " + String.join(", ", forged.keySet()), request[0], request[1], Expect.ANY,
                        new LinkedHashMap<>(forged)));
            }
        }
        return probes;
    }

    private static Probe get(String label, String persona, String target, Expect expect, Map<String, String> headers) {
        return new Probe(label, persona, "GET", target, headers, null, false, expect, List.of());
    }
}
