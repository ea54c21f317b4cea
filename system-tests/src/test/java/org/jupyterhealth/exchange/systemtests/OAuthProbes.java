package org.jupyterhealth.exchange.systemtests;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jupyterhealth.exchange.systemtests.BadInputs.Input;
import org.jupyterhealth.exchange.systemtests.Probe.Expect;

/**
 * Probes of the OAuth endpoints: the token endpoint with every grant (each of its parameters given every bad
 * value, repeated, missing; malformed forms; bad client authentication), the authorization endpoint (GET and the
 * sign-in form), revocation, introspection, userinfo, discovery and JWKS. No probe uses a persona's e-mail or a
 * persona's token where it could spend or lock it: the personas' tokens stay valid for the rest of the corpus.
 */
final class OAuthProbes {
    static final String CALLBACK = SystemStack.BASE_URL + "/auth/callback";
    static final String VERIFIER = "probe-code-verifier-0123456789012345678901234567890123";
    static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    static final String CONFIDENTIAL = basic("sof-ehr-launch", "sof-ehr-launch-dev-secret");

    private final String csrf;

    /** @param csrf a sign-in page's CSRF value (its cookie and its form field) */
    OAuthProbes(String csrf) {
        this.csrf = csrf;
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Bad values for a form field or query parameter: every corpus text, encoded, and raw ones. */
    private static List<Input> values() {
        List<Input> values = new ArrayList<>();
        for (Input input : BadInputs.STRINGS) {
            values.add(new Input(input.name(), BadInputs.urlEncoded(input.value()), input.rejected()));
        }
        values.add(new Input("invalid UTF-8", "%FF%FE%C3%28", true));
        values.add(new Input("bad percent escape", "%zz", true));
        values.add(new Input("1 MiB value", BadInputs.HUGE, false));
        return values;
    }

    List<Probe> probes() {
        List<Probe> probes = new ArrayList<>();
        token(probes);
        authorize(probes);
        revokeAndIntrospect(probes);
        userInfoAndDiscovery(probes);
        return probes;
    }

    private void token(List<Probe> probes) {
        Map<String, Map<String, String>> grants = new LinkedHashMap<>();
        grants.put("password", form("grant_type", "password", "client_id", "jhe-demo", "username",
                "nobody.probe@example.com", "password", "Jhe1234!", "scope", "read write"));
        grants.put("refresh_token", form("grant_type", "refresh_token", "client_id", "jhe-demo", "refresh_token",
                "r".repeat(43)));
        grants.put("client_credentials", form("grant_type", "client_credentials", "scope", "read"));
        grants.put("authorization_code", form("grant_type", "authorization_code", "code", "c".repeat(43),
                "redirect_uri", CALLBACK, "client_id", "jhe-admin-ui", "code_verifier", VERIFIER));
        // the parameters each grant has of its own get every bad value; the shared ones, with the password grant
        Map<String, List<String>> probed = Map.of("password", List.of("grant_type", "client_id", "username",
                "password", "scope"), "refresh_token", List.of("refresh_token"), "client_credentials",
                List.of("scope"), "authorization_code", List.of("code", "redirect_uri", "code_verifier"));
        int n = 0;
        for (Map.Entry<String, Map<String, String>> grant : grants.entrySet()) {
            String authorization = grant.getKey().equals("client_credentials") ? CONFIDENTIAL : null;
            for (String field : probed.get(grant.getKey())) {
                for (Input value : values()) {
                    Map<String, String> form = new LinkedHashMap<>(grant.getValue());
                    form.put(field, value.value());
                    probes.add(formPost(grant.getKey() + " " + field + ": " + value.name(), path(n++), form,
                            authorization, Expect.REJECTED, BadInputs.echoes(value)));
                }
            }
            for (String field : grant.getValue().keySet()) {
                Map<String, String> form = new LinkedHashMap<>(grant.getValue());
                form.remove(field);
                probes.add(formPost(grant.getKey() + " without " + field, path(n++), form, authorization,
                        Expect.REJECTED, List.of()));
                String repeated = encode(grant.getValue()) + "&" + field + "=" + BadInputs.urlEncoded(
                        grant.getValue().get(field));
                probes.add(raw(grant.getKey() + " with " + field + " twice", "POST", path(n++),
                        "application/x-www-form-urlencoded", repeated.getBytes(StandardCharsets.ISO_8859_1),
                        authorization, Expect.REJECTED));
            }
        }
        byte[] valid = encode(grants.get("password")).getBytes(StandardCharsets.ISO_8859_1);
        for (byte[] malformed : List.of("%zz=%".getBytes(StandardCharsets.ISO_8859_1),
                "=".getBytes(StandardCharsets.ISO_8859_1), "&&&=&=".getBytes(StandardCharsets.ISO_8859_1),
                new byte[] { 'g', 'r', 'a', 'n', 't', '_', 't', 'y', 'p', 'e', '=', (byte) 0xff, (byte) 0xc3, 0x28 },
                new byte[] { 'c', 'l', 'i', 'e', 'n', 't', '_', 'i', 'd', '=', 'a', 0, 'b' },
                "{\"grant_type\": \"password\"}".getBytes(StandardCharsets.ISO_8859_1))) {
            probes.add(raw("malformed token form " + Probe.excerpt(new String(malformed, StandardCharsets.ISO_8859_1),
                    30), "POST", path(n++), "application/x-www-form-urlencoded", malformed, null, Expect.REJECTED));
        }
        for (String contentType : List.of("application/json", "text/plain", "multipart/form-data; boundary=x",
                "application/xml")) {
            probes.add(raw("token form with content type " + contentType, "POST", path(n++), contentType, valid, null,
                    Expect.REJECTED));
        }
        probes.add(raw("token form without content type", "POST", path(n++), null, valid, null, Expect.REJECTED));
        probes.add(raw("token GET", "GET", path(n++) + "?" + new String(valid, StandardCharsets.ISO_8859_1), null,
                null, null, Expect.REJECTED));
        // client authentication: broken Basic credentials, a wrong secret, a NUL in the client id
        Map<String, String> credentials = form("grant_type", "client_credentials");
        for (String authorization : List.of("Basic", "Basic !!!not-base64!!!",
                "Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes(StandardCharsets.UTF_8)),
                "Basic " + Base64.getEncoder().encodeToString(new byte[] { 'a', 0, 'b', ':', 'c' }),
                "Basic " + Base64.getEncoder().encodeToString(new byte[] { (byte) 0xff, (byte) 0xfe, ':', 'c' }),
                basic("sof-ehr-launch", "wrong-secret"), basic("admin-service", "wrong-secret"),
                basic("%00", "x"), "Basic " + "A".repeat(8_000), "Bearer x", "Basic YQ==:")) {
            probes.add(formPost("client authentication " + Probe.excerpt(authorization, 40), path(n++), credentials,
                    authorization, Expect.REJECTED, List.of("admin-service", "sof-ehr-launch", "no-colon")));
        }
    }

    /** The token endpoint, alternately with and without its trailing slash. */
    private static String path(int n) {
        return n % 2 == 0 ? "/o/token/" : "/o/token";
    }

    private void authorize(List<Probe> probes) {
        Map<String, String> request = form("response_type", "code", "client_id", "jhe-admin-ui", "redirect_uri",
                CALLBACK, "code_challenge", CHALLENGE, "code_challenge_method", "S256", "scope", "read write",
                "state", "probe-state");
        int n = 0;
        for (String field : request.keySet()) {
            for (Input value : values()) {
                // a query longer than the server reads is probed once per path, by the gateway probes
                if (value.value().length() > 1_000) {
                    continue;
                }
                Map<String, String> query = new LinkedHashMap<>(request);
                query.put(field, value.value());
                probes.add(new Probe("authorize " + field + ": " + value.name(), null, "GET",
                        (n++ % 2 == 0 ? "/o/authorize/?" : "/o/authorize?") + encode(query), new LinkedHashMap<>(),
                        null, false, Expect.ANY, BadInputs.echoes(value)));
            }
        }
        for (String redirect : List.of("https://evil.example/cb", "http://localhost:8000.evil.example/auth/callback",
                CALLBACK + "/../../evil", "//evil.example/auth/callback", "javascript:alert(1)")) {
            Map<String, String> query = new LinkedHashMap<>(request);
            query.put("redirect_uri", redirect);
            probes.add(new Probe("authorize redirect_uri " + redirect, null, "GET", "/o/authorize/?" + encode(query),
                    new LinkedHashMap<>(), null, false, Expect.REJECTED, List.of(redirect)));
        }

        Map<String, String> signIn = new LinkedHashMap<>(request);
        signIn.put("csrf_token", csrf);
        signIn.put("email", "nobody.probe@example.com");
        signIn.put("password", "wrong-password");
        for (String field : List.of("email", "password", "csrf_token", "client_id", "redirect_uri", "code_challenge",
                "scope", "state")) {
            for (Input value : values()) {
                Map<String, String> form = new LinkedHashMap<>(signIn);
                form.put(field, value.value());
                probes.add(signIn("sign-in " + field + ": " + value.name(), encode(form)
                        .getBytes(StandardCharsets.ISO_8859_1), "application/x-www-form-urlencoded",
                        value.rejected() ? Expect.REJECTED : Expect.ANY, BadInputs.echoes(value)));
            }
        }
        for (byte[] malformed : List.of("%zz=%".getBytes(StandardCharsets.ISO_8859_1),
                "=&=".getBytes(StandardCharsets.ISO_8859_1),
                new byte[] { 'e', 'm', 'a', 'i', 'l', '=', (byte) 0xff, (byte) 0xc3, 0x28 },
                new byte[] { 'e', 'm', 'a', 'i', 'l', '=', 'a', 0, 'b' })) {
            probes.add(signIn("malformed sign-in form " + Probe.excerpt(new String(malformed,
                    StandardCharsets.ISO_8859_1), 30), malformed, "application/x-www-form-urlencoded",
                    Expect.REJECTED, List.of()));
        }
        for (String contentType : List.of("application/json", "text/plain", "multipart/form-data; boundary=x")) {
            probes.add(signIn("sign-in with content type " + contentType, encode(signIn)
                    .getBytes(StandardCharsets.ISO_8859_1), contentType, Expect.REJECTED, List.of()));
        }
    }

    private Probe signIn(String label, byte[] body, String contentType, Expect expect, List<String> echoes) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.put("Cookie", "jhe_csrf=" + csrf);
        return new Probe(label, null, "POST", "/o/authorize/", headers, body, false, expect, echoes);
    }

    private void revokeAndIntrospect(List<Probe> probes) {
        // RFC 7009 §2.2 and RFC 7662 §2.2: a token that is not one (whatever its bytes) is answered like an unknown one
        int n = 0;
        for (Input value : values()) {
            probes.add(formPost("revoke token: " + value.name(), n++ % 2 == 0 ? "/o/revoke_token/" : "/o/revoke_token",
                    form("client_id", "jhe-demo", "token", value.value()), null, Expect.ANY, BadInputs.echoes(value)));
            probes.add(formPost("revoke client_id: " + value.name(), "/o/revoke_token/",
                    form("client_id", value.value(), "token", "t".repeat(43)), null, Expect.REJECTED,
                    BadInputs.echoes(value)));
            probes.add(formPost("revoke token_type_hint: " + value.name(), "/o/revoke_token/",
                    form("client_id", "jhe-demo", "token", "t".repeat(43), "token_type_hint", value.value()), null,
                    Expect.ANY, BadInputs.echoes(value)));
            probes.add(formPost("introspect token: " + value.name(), n % 2 == 0 ? "/o/introspect/" : "/o/introspect",
                    form("token", value.value()), CONFIDENTIAL, Expect.ANY, BadInputs.echoes(value)));
        }
        probes.add(formPost("revoke without token", "/o/revoke_token/", form("client_id", "jhe-demo"), null,
                Expect.REJECTED, List.of()));
        probes.add(formPost("introspect without client authentication", "/o/introspect/", form("token", "x"), null,
                Expect.REJECTED, List.of()));
        probes.add(raw("malformed revocation form", "POST", "/o/revoke_token/", "application/x-www-form-urlencoded",
                "%zz=%".getBytes(StandardCharsets.ISO_8859_1), null, Expect.REJECTED));
        probes.add(raw("malformed introspection form", "POST", "/o/introspect/", "application/x-www-form-urlencoded",
                "%zz=%".getBytes(StandardCharsets.ISO_8859_1), CONFIDENTIAL, Expect.REJECTED));
        probes.add(raw("revocation as JSON", "POST", "/o/revoke_token/", "application/json",
                "{\"token\": \"x\", \"client_id\": \"jhe-demo\"}".getBytes(StandardCharsets.UTF_8), null,
                Expect.REJECTED));
    }

    private void userInfoAndDiscovery(List<Probe> probes) {
        for (String authorization : OpenApiProbes.BAD_AUTHORIZATIONS) {
            for (String method : List.of("GET", "POST")) {
                Map<String, String> headers = new LinkedHashMap<>();
                headers.put("Authorization", authorization);
                probes.add(new Probe("userinfo " + method + " with " + Probe.excerpt(authorization, 40), null, method,
                        "/o/userinfo/", headers, null, false, Expect.REJECTED, List.of()));
            }
        }
        for (Input value : values()) {
            if (value.value().length() > 1_000) {
                continue;
            }
            for (String path : List.of("/o/.well-known/openid-configuration", "/o/.well-known/jwks.json",
                    "/o/userinfo/")) {
                probes.add(new Probe("GET " + path + " with a query: " + value.name(), path.equals("/o/userinfo/")
                        ? "manager" : null, "GET", path + "?x=" + value.value() + "&" + value.value() + "=1",
                        new LinkedHashMap<>(), null, false, Expect.ANY, BadInputs.echoes(value)));
            }
        }
    }

    private static Map<String, String> form(String... pairs) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.put(pairs[i], pairs[i + 1]);
        }
        return form;
    }

    /**
     * The form as sent: names and values percent-encoded, except values that are already encoded bad inputs
     * (anything with a {@code %} in it or a byte the encoder would change), which go as they are.
     */
    private static String encode(Map<String, String> form) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> field : form.entrySet()) {
            if (text.length() > 0) {
                text.append('&');
            }
            text.append(BadInputs.urlEncoded(field.getKey())).append('=').append(encoded(field.getValue()));
        }
        return text.toString();
    }

    /** Bad inputs arrive already percent-encoded (they are the values of {@link #values()}); others are encoded. */
    private static String encoded(String value) {
        return value.matches("[A-Za-z0-9._~*+%-]*") ? value : BadInputs.urlEncoded(value);
    }

    private static Probe formPost(String label, String path, Map<String, String> form, String authorization,
            Expect expect, List<String> echoes) {
        return raw(label, "POST", path, "application/x-www-form-urlencoded",
                encode(form).getBytes(StandardCharsets.ISO_8859_1), authorization, expect, echoes);
    }

    private static Probe raw(String label, String method, String path, String contentType, byte[] body,
            String authorization, Expect expect) {
        return raw(label, method, path, contentType, body, authorization, expect, List.of());
    }

    private static Probe raw(String label, String method, String path, String contentType, byte[] body,
            String authorization, Expect expect, List<String> echoes) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        return new Probe(label, null, method, path, headers, body, false, expect, echoes);
    }
}
