package org.jupyterhealth.exchange.systemtests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The bad inputs the corpus sends: strings (control characters, injections of SQL, JSON, paths, headers, JNDI
 * lookups and templates, huge ones), ids, dates, base64, JSON fragments and bodies. Each has a short name for the
 * failure report. Nothing here is random: the corpus is the same on every run.
 */
final class BadInputs {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A named value; {@code rejected} when no server may accept it (a NUL in text, for one). */
    record Input(String name, String value, boolean rejected) {
    }

    /** A named raw JSON fragment (a value as it appears in a JSON text), possibly not valid JSON at all. */
    record Fragment(String name, byte[] bytes, boolean rejected) {
        static Fragment of(String name, String text, boolean rejected) {
            return new Fragment(name, text.getBytes(StandardCharsets.UTF_8), rejected);
        }
    }

    static final String HUGE = "a".repeat(1_048_576);
    static final String LONG = "b".repeat(10_000);
    static final String CRLF = "x\r\nX-Injected: 1\r\nSet-Cookie: injected=1";

    /** Text that may end up in a string field, a query parameter or a form field. */
    static final List<Input> STRINGS = List.of(
            new Input("NUL", "a\u0000b", true),
            new Input("control characters", "\u0001\u0008\u001b[31m\u007f\u009f", false),
            new Input("CRLF header injection", CRLF, false),
            new Input("unicode separators and BOM", "\u2028\u2029\ufeff\uffff", false),
            new Input("SQL injection", "' OR '1'='1' --", false),
            new Input("SQL statement", "1; DROP TABLE admin.patient; --", false),
            new Input("SQL double quote", "\" OR \"\"=\"", false),
            new Input("JSON injection", "\",\"isSuperuser\":true,\"x\":\"", false),
            new Input("NoSQL operator", "{\"$gt\":\"\"}", false),
            new Input("path traversal", "../../../../etc/passwd", false),
            new Input("JNDI lookup", "${jndi:ldap://jndi.invalid/a}", false),
            new Input("template syntax", "{{7*7}}${7*7}#{7*7}<%= 7*7 %>{7*7}", false),
            new Input("format string", "%s%n%x%d%%", false),
            new Input("HTML", "<script>alert(1)</script>", false),
            new Input("10,000 characters", LONG, false),
            new Input("empty", "", false),
            new Input("blank", "   ", false));

    /** Path ids that no record has: each must be refused (never a 2xx) where marked. Already percent-encoded. */
    static final List<Input> IDS = List.of(
            new Input("negative id", "-1", true),
            // organization 0 is the root of the organization tree: a zero id may name a record
            new Input("zero id", "0", false),
            new Input("huge id", "99999999999999999999", true),
            new Input("largest long", "9223372036854775807", true),
            new Input("non-numeric id", "abc", true),
            new Input("decimal id", "1.5", true),
            new Input("exponent id", "1e3", true),
            new Input("hex id", "0x1F", true),
            new Input("matrix parameter id", "1;x", true),
            new Input("encoded matrix id", "1%3Bx", true),
            new Input("NUL id", "%00", true),
            new Input("invalid UTF-8 id", "%FF%C3%28", true),
            new Input("path traversal id", "..%2F..%2F..%2Finternal%2Faccounts", true),
            new Input("SQL injection id", "1%27%20OR%20%271%27%3D%271", true),
            new Input("JNDI id", "%24%7Bjndi%3Aldap%3A%2F%2Fjndi.invalid%2Fa%7D", true),
            new Input("template id", "%7B%7B7*7%7D%7D", true),
            new Input("CRLF id", "1%0D%0AX-Injected:%201", true),
            new Input("space id", "%201", true));

    /** Query parameter values (already percent-encoded), beside {@link #STRINGS} encoded. */
    static final List<Input> RAW_QUERY_VALUES = List.of(
            new Input("invalid UTF-8", "%FF%FE%C3%28", false),
            new Input("lone percent", "%", false),
            new Input("bad percent escape", "%zz", false),
            new Input("encoded NUL", "a%00b", false),
            new Input("negative number", "-1", false),
            new Input("huge number", "99999999999999999999", false),
            new Input("1e308", "1e308", false),
            new Input("matrix parameter", "1;x", false));

    static final List<Input> DATES = List.of(
            new Input("impossible date-time", "2025-13-40T99:99:99Z", true),
            new Input("year 99999", "99999-01-01T00:00:00Z", true),
            new Input("30 February", "2025-02-30", true),
            new Input("zero date", "0000-00-00", true),
            new Input("word for a date", "yesterday", true),
            new Input("offset out of range", "2025-01-01T00:00:00+25:00", true));

    static final List<Input> URLS = List.of(
            new Input("javascript: URL", "javascript:alert(1)", true),
            new Input("file: URL", "file:///etc/passwd", true),
            new Input("private address URL", "http://169.254.169.254/latest/meta-data/", true),
            new Input("loopback URL", "http://127.0.0.1:8081/internal/accounts", true));

    static final List<Input> BASE64 = List.of(
            new Input("not base64", "!!!not base64!!!", true),
            new Input("base64 padding only", "====", true),
            new Input("base64 of text, not JSON", "aGVsbG8gd29ybGQ=", true),
            new Input("base64 of invalid UTF-8", Base64.getEncoder().encodeToString(new byte[] { (byte) 0xff,
                    (byte) 0xfe, '{', '}' }), true),
            new Input("base64 of 10,000 nested arrays", Base64.getEncoder().encodeToString(
                    deepArrays(10_000).getBytes(StandardCharsets.US_ASCII)), true),
            new Input("base64 of a JSON array", Base64.getEncoder().encodeToString("[1,2]".getBytes(
                    StandardCharsets.US_ASCII)), true));

    /** Content types a JSON endpoint must refuse, or at least survive. */
    static final List<String> WRONG_CONTENT_TYPES = List.of("text/plain", "application/xml",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16",
            "application/octet-stream");

    /** Whole request bodies that are not JSON (all refused wherever JSON is expected). */
    static final List<Fragment> MALFORMED_JSON = List.of(
            Fragment.of("truncated JSON", "{\"name\": \"x\"", true),
            Fragment.of("missing value", "{\"name\":}", true),
            Fragment.of("single quotes", "{'name': 'x'}", true),
            Fragment.of("trailing comma", "{\"name\": \"x\",}", true),
            Fragment.of("trailing garbage", "{\"name\": \"x\"} trailing", true),
            Fragment.of("two documents", "{\"name\": \"x\"}{\"name\": \"y\"}", true),
            Fragment.of("NaN", "{\"name\": NaN}", true),
            Fragment.of("comment", "{/* c */\"name\": \"x\"}", true),
            new Fragment("raw NUL in a string", concat("{\"name\": \"a".getBytes(StandardCharsets.UTF_8),
                    new byte[] { 0 }, "b\"}".getBytes(StandardCharsets.UTF_8)), true),
            new Fragment("invalid UTF-8 in a string", concat("{\"name\": \"a".getBytes(StandardCharsets.UTF_8),
                    new byte[] { (byte) 0xc3, 0x28, (byte) 0xff }, "\"}".getBytes(StandardCharsets.UTF_8)), true),
            new Fragment("raw NUL body", new byte[] { 0 }, true),
            Fragment.of("10,000 nested arrays", deepArrays(10_000), true),
            Fragment.of("10,000 nested objects", deepObjects(10_000), true));

    private BadInputs() {
    }

    static String deepArrays(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    static String deepObjects(int depth) {
        return "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
    }

    /** The JSON string literal of a text (control characters escaped, as any JSON writer does). */
    static String jsonString(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fragments a string field is given: every text of {@link #STRINGS} and the raw byte-level ones. */
    static List<Fragment> stringFragments() {
        List<Fragment> fragments = new ArrayList<>();
        for (Input input : STRINGS) {
            fragments.add(Fragment.of(input.name(), jsonString(input.value()), input.rejected()));
        }
        fragments.add(new Fragment("invalid UTF-8 bytes", concat(new byte[] { '"', 'a', (byte) 0xc3, 0x28,
                (byte) 0xff, (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"' }), true));
        fragments.add(new Fragment("raw control character", new byte[] { '"', 'a', 0x01, 'b', '"' }, true));
        fragments.add(Fragment.of("lone surrogate escape", "\"a\\ud800b\"", false));
        fragments.add(Fragment.of("number for a string", "123", true));
        fragments.add(Fragment.of("boolean for a string", "true", true));
        fragments.add(Fragment.of("object for a string", "{\"a\": 1}", true));
        fragments.add(Fragment.of("array for a string", "[\"a\"]", true));
        fragments.add(Fragment.of("null", "null", false));
        fragments.add(Fragment.of("10,000 nested arrays", deepArrays(10_000), true));
        return fragments;
    }

    static List<Fragment> integerFragments() {
        return List.of(
                Fragment.of("text for an integer", "\"abc\"", true),
                Fragment.of("NUL text for an integer", "\"1\\u0000\"", true),
                Fragment.of("negative integer", "-1", false),
                Fragment.of("zero", "0", false),
                Fragment.of("integer overflow", "9223372036854775808", true),
                Fragment.of("1e308", "1e308", true),
                Fragment.of("decimal", "1.5", false),
                Fragment.of("boolean for an integer", "true", false),
                Fragment.of("object for an integer", "{\"id\": 1}", true),
                Fragment.of("array for an integer", "[1]", true),
                Fragment.of("null", "null", false),
                Fragment.of("10,000 nested arrays", deepArrays(10_000), true));
    }

    static List<Fragment> booleanFragments() {
        return List.of(
                Fragment.of("word for a boolean", "\"yes\"", true),
                Fragment.of("number for a boolean", "2", false),
                Fragment.of("object for a boolean", "{}", true),
                Fragment.of("array for a boolean", "[true]", true),
                Fragment.of("null", "null", false));
    }

    static List<Fragment> arrayFragments() {
        return List.of(
                Fragment.of("object for an array", "{}", true),
                Fragment.of("text for an array", "\"x\"", true),
                Fragment.of("number for an array", "1", true),
                Fragment.of("array of nulls", "[null, null]", false),
                Fragment.of("array of arrays", "[[], [[]]]", false),
                Fragment.of("10,000 elements", "[" + "1,".repeat(9_999) + "1]", false),
                Fragment.of("null", "null", false),
                Fragment.of("10,000 nested arrays", deepArrays(10_000), true));
    }

    static List<Fragment> anyValueFragments() {
        return List.of(
                Fragment.of("NUL text", jsonString("a\u0000b"), true),
                Fragment.of("object", "{\"a\": {\"b\": [1, \"x\", null]}}", false),
                Fragment.of("array", "[1, \"x\", null]", false),
                Fragment.of("huge number", "1e308", false),
                Fragment.of("10,000 nested arrays", deepArrays(10_000), true));
    }

    /** What a message may quote of a fragment: its text, and the string it is when it is a JSON string. */
    static List<String> echoes(Fragment fragment) {
        String text = new String(fragment.bytes(), StandardCharsets.UTF_8);
        try {
            JsonNode node = JSON.readTree(text);
            if (node != null && node.isTextual()) {
                return List.of(node.asText(), text);
            }
        } catch (IOException e) {
            // not JSON: only the raw text can be quoted
        }
        return List.of(text);
    }

    /** What a message may quote of a query or form value: as sent, and decoded. */
    static List<String> echoes(Input value) {
        List<String> echoes = new ArrayList<>();
        echoes.add(value.value());
        try {
            echoes.add(URLDecoder.decode(value.value(), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            // not decodable: only the raw text can be quoted
        }
        return echoes;
    }

    /** Text percent-encoded as a browser encodes a query parameter or form field (UTF-8). */
    static String urlEncoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
