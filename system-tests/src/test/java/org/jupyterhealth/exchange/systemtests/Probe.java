package org.jupyterhealth.exchange.systemtests;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One bad-input request of the corpus and what its answer must be. Every answer: no 5xx, an answer at all (no
 * reset, no hang), no stack trace, Java class name, SQL text or internal address in the body or a link header,
 * no header injected, and the error shape of the path. Some inputs must also be refused ({@link Expect}).
 */
record Probe(String label, String persona, String method, String target, Map<String, String> headers, byte[] body,
        boolean chunked, Expect expect, List<String> echoes) {

    /** What the answer must be beyond the rules every answer follows. */
    enum Expect {
        /** Any status below 500. */
        ANY,
        /** Refused: a 4xx. */
        REJECTED,
        /** 413 Payload Too Large. */
        TOO_LARGE,
        /** A FHIR upload: a 4xx, or a batch-response whose every entry has a 4xx status and an OperationOutcome. */
        ENTRY_REJECTED
    }

    /** The error shape each path documents. */
    enum Dialect {
        /** Admin API and the other {@code /o} paths: {@code {"detail": "..."}}, optionally with field errors. */
        DETAIL,
        /** {@code /fhir} and {@code /FHIR}: an OperationOutcome. */
        FHIR,
        /** The token, revocation and introspection endpoints: RFC 6749 §5.2, {@code Cache-Control: no-store}. */
        OAUTH,
        /** The sign-in page: an HTML page or a redirect to the client with {@code error}, or {@code {"detail"}}. */
        SIGN_IN;

        static Dialect of(String target) {
            String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
            try {
                // a path with dot segments is answered where it leads (/fhir/r5/../../internal is not FHIR)
                path = URI.create(path).normalize().getPath();
            } catch (IllegalArgumentException unparsable) {
                // judged as written
            }
            if (path.startsWith("/fhir/") || path.startsWith("/FHIR/") || path.equals("/fhir")
                    || path.equals("/FHIR")) {
                return FHIR;
            }
            if (path.matches("/o/(token|revoke_token|introspect)/?")) {
                return OAUTH;
            }
            if (path.matches("/o/authorize/?")) {
                return SIGN_IN;
            }
            return DETAIL;
        }
    }

    /** RFC 6749 §5.2 error codes, with RFC 7009 §2.2.1's and the 429 answer's. */
    static final Set<String> OAUTH_ERRORS = Set.of("invalid_request", "invalid_client", "invalid_grant",
            "unauthorized_client", "unsupported_grant_type", "invalid_scope", "unsupported_token_type",
            "temporarily_unavailable", "access_denied", "invalid_token");

    private static final Pattern STACK_FRAME = Pattern.compile("\\bat [a-zA-Z_$][\\w$]*(\\.[\\w$<>]+)+\\(|Caused by: ");
    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\b(java|javax|jakarta|sun|jdk|org|io|com|net)\\.[a-z][\\w]*(\\.[\\w$]+)*\\.[A-Z][\\w$]*"
                    + "|\\b[A-Z][A-Za-z]+(Exception|Throwable)\\b");
    private static final Pattern SQL = Pattern.compile("SQLSTATE|syntax error at or near|\\bPSQLException\\b"
            + "|\\bpgclient\\b|duplicate key value|violates (unique|foreign key|check|not-null) constraint"
            + "|\\b(relation|column) \"[a-z_]+\"|\\bSELECT\\b.{1,200}\\bFROM\\b|\\bINSERT INTO\\b"
            + "|\\bUPDATE\\b.{1,80}\\bSET\\b"
            + "|\\b(ERROR|DETAIL|HINT): ", Pattern.DOTALL);
    private static final Pattern SERVICE_NAME = Pattern.compile(
            "\\b(identity|admin|fhir|ingest)-service\\b|observation-upload|admin-events|token-revocations");

    /** A short, printable description of the request, for the failure list. */
    String describe() {
        StringBuilder text = new StringBuilder().append(method).append(' ').append(excerpt(target, 160));
        if (persona != null) {
            text.append("  as ").append(persona);
        }
        String contentType = headers.get("Content-Type");
        if (body != null) {
            text.append("  body(").append(body.length).append(" B").append(chunked ? ", chunked" : "")
                    .append(contentType == null ? "" : ", " + contentType).append(")=")
                    .append(excerpt(new String(body, 0, Math.min(body.length, 400), StandardCharsets.UTF_8), 120));
        }
        return text.toString();
    }

    /** Why the answer is not acceptable (empty when it is). */
    List<String> problems(ProbeClient.Answer answer, ForbiddenText forbidden) {
        List<String> problems = new ArrayList<>();
        if (answer.failure() != null) {
            problems.add(answer.failure());
            return problems;
        }
        int status = answer.status();
        if (status >= 500) {
            problems.add("server error " + status);
        }
        // the audit trail records the address each access came from (here the corpus's own, 127.0.0.1): that is the
        // trail's content, shown to superusers only, not a leak of the exchange's insides
        String text = withoutEchoes(answer.text()).replaceAll("\"networkString\":\"[^\"]*\"", "\"networkString\":\"\"");
        leaks(text, status, forbidden, problems);
        for (String header : List.of("location", "content-location", "link")) {
            String value = answer.header(header);
            if (value != null) {
                leaks(withoutEchoes(value), 200, forbidden, problems);
            }
        }
        if (answer.headers().containsKey("x-injected")
                || String.valueOf(answer.headers().get("set-cookie")).contains("injected")) {
            problems.add("a header was injected into the answer");
        }
        switch (expect) {
            case REJECTED -> {
                if (!refused(answer)) {
                    problems.add("accepted (" + status + "), expected a 4xx refusal");
                }
            }
            case TOO_LARGE -> {
                // a chunked body announces no length: a service may refuse the request on what it has read
                // before the limit is reached (an unknown invitation, say), which is as good a refusal
                if (status != 413 && !(chunked && status >= 400 && status < 500)) {
                    problems.add("expected 413, got " + status);
                }
            }
            case ENTRY_REJECTED -> entriesRejected(answer, problems);
            case ANY -> {
            }
        }
        if (status >= 400) {
            shape(answer, problems);
        }
        if (status == 202 && method.equals("POST") && Dialect.of(target) == Dialect.FHIR
                && !headers.containsKey("Prefer")) {
            problems.add("a synchronous upload was not decided within the wait (202 without Prefer: respond-async)");
        }
        return problems;
    }

    /**
     * A 4xx, or on the sign-in page a redirect to the client carrying an {@code error} (RFC 6749 §4.1.2.1: once the
     * client and its redirect URI are known, errors go back to it).
     */
    private boolean refused(ProbeClient.Answer answer) {
        int status = answer.status();
        if (status >= 400) {
            return true;
        }
        String location = answer.header("location");
        return Dialect.of(target) == Dialect.SIGN_IN && status >= 300 && status < 400 && location != null
                && location.matches(".*[?&]error=.*");
    }

    /** Strings that must never appear in an answer: internal addresses, and hosts a probe tried to inject. */
    record ForbiddenText(List<Pattern> anywhere) {
    }

    private void leaks(String text, int status, ForbiddenText forbidden, List<String> problems) {
        find(STACK_FRAME, text, "a stack trace", problems);
        find(CLASS_NAME, text, "a Java class name", problems);
        find(SQL, text, "SQL text", problems);
        for (Pattern pattern : forbidden.anywhere()) {
            find(pattern, text, "an internal or injected address", problems);
        }
        if (status >= 400) {
            find(SERVICE_NAME, text, "an internal service or topic name", problems);
        }
    }

    private static void find(Pattern pattern, String text, String what, List<String> problems) {
        Matcher matcher = pattern.matcher(text);
        if (matcher.find()) {
            problems.add("shows " + what + ": \"" + excerpt(text.substring(Math.max(0, matcher.start() - 30),
                    Math.min(text.length(), matcher.end() + 30)), 100) + "\"");
        }
    }

    /**
     * The answer without the probe's own input, which a message may quote (in any of the usual encodings), and
     * without the corpus's URLs, which an earlier probe may have stored and a list shows.
     */
    private String withoutEchoes(String text) {
        List<String> all = new ArrayList<>(echoes);
        BadInputs.URLS.forEach(url -> all.add(url.value()));
        for (String echo : all) {
            if (echo.length() < 3) {
                continue;
            }
            String json = BadInputs.jsonString(echo);
            for (String form : List.of(echo, json.substring(1, json.length() - 1), html(echo),
                    BadInputs.urlEncoded(echo))) {
                text = text.replace(form, "");
            }
        }
        return text;
    }

    private static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    private void shape(ProbeClient.Answer answer, List<String> problems) {
        Dialect dialect = Dialect.of(target);
        String contentType = String.valueOf(answer.header("content-type"));
        JsonNode json = parse(answer.body());
        switch (dialect) {
            case FHIR -> {
                if (json == null || !"OperationOutcome".equals(json.path("resourceType").asText())
                        || !json.path("issue").isArray() || json.path("issue").isEmpty()
                        || json.path("issue").get(0).path("code").asText().isEmpty()
                        || json.path("issue").get(0).path("severity").asText().isEmpty()) {
                    problems.add("not an OperationOutcome with an issue code and severity (" + contentType + ")");
                }
            }
            case OAUTH -> {
                if (json == null || !OAUTH_ERRORS.contains(json.path("error").asText())
                        || !json.path("error_description").isTextual()) {
                    problems.add("not an RFC 6749 error {\"error\", \"error_description\"} (" + contentType + ")");
                }
                String cacheControl = String.valueOf(answer.header("cache-control"));
                if (!cacheControl.contains("no-store")) {
                    problems.add("token endpoint error without Cache-Control: no-store");
                }
            }
            case DETAIL -> detail(json, contentType, problems);
            case SIGN_IN -> {
                if (!contentType.startsWith("text/html") || answer.body().length == 0) {
                    detail(json, contentType, problems);
                }
            }
        }
    }

    private static void detail(JsonNode json, String contentType, List<String> problems) {
        if (json == null || !json.isObject() || !json.path("detail").isTextual()) {
            problems.add("not a {\"detail\"} error (" + contentType + ")");
            return;
        }
        JsonNode errors = json.get("errors");
        if (errors != null && !errors.isObject()) {
            problems.add("\"errors\" is not an object of field messages");
        }
    }

    private void entriesRejected(ProbeClient.Answer answer, List<String> problems) {
        int status = answer.status();
        if (status >= 400) {
            return;
        }
        JsonNode bundle = parse(answer.body());
        if (status != 200 || bundle == null || !bundle.path("entry").isArray()) {
            problems.add("expected a refusal or a batch-response, got " + status);
            return;
        }
        for (JsonNode entry : bundle.path("entry")) {
            String entryStatus = entry.path("response").path("status").asText();
            if (!entryStatus.startsWith("4")) {
                problems.add("entry accepted (" + entryStatus + "), expected a 4xx entry");
                return;
            }
            if (!"OperationOutcome".equals(entry.path("response").path("outcome").path("resourceType").asText())) {
                problems.add("refused entry without an OperationOutcome");
                return;
            }
        }
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? null : BadInputs.JSON.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }

    /** At most {@code max} characters, control characters and non-ASCII shown as escapes. */
    static String excerpt(String text, int max) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || Character.isSurrogate(c) || c == 0xfffd
                    || c == 0xfeff || c == 0x2028 || c == 0x2029 || c == 0xffff) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        if (out.length() >= max && text.length() > max) {
            out.append("…(").append(text.length()).append(')');
        }
        return out.toString();
    }

    /** A copy with one more header (the corpus adds the persona's token). */
    Probe withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new Probe(label, persona, method, target, more, body, chunked, expect, echoes);
    }
}
