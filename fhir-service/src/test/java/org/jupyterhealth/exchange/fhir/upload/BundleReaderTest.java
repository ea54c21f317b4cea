package org.jupyterhealth.exchange.fhir.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jupyterhealth.exchange.common.upload.UploadEnvelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.quarkus.runtime.configuration.MemorySize;

/**
 * The Bundle reader passes each entry on exactly as the client sent it: what ingest-service reads from the envelope
 * (its resources, methods and urls) is what the Bundle's JSON says, whatever the layout, escapes or field order; and
 * a Bundle it cannot take is refused with the same answer as before, checked in the same order.
 */
class BundleReaderTest {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private static final int MAX_ENTRIES = 8;
    private final BundleReader reader = new BundleReader(JSON, new UploadConfig() {
        @Override
        public int maxEntries() {
            return MAX_ENTRIES;
        }

        @Override
        public MemorySize maxBodySize() {
            return new MemorySize(BigInteger.valueOf(65_536));
        }

        @Override
        public Duration responseTimeout() {
            return Duration.ofSeconds(30);
        }

        @Override
        public Duration sendTimeout() {
            return Duration.ofSeconds(5);
        }
    });

    static Stream<Arguments> bundles() throws IOException {
        return Stream.of(
                Arguments.of("the blood-pressure sample", sample("upload-bundle-blood-pressure.json")),
                Arguments.of("the mixed sample", sample("upload-bundle-mixed.json")),
                Arguments.of("pretty-printed with braces and quotes inside strings", """
                        {
                          "type" : "batch",
                          "entry" : [ {
                            "request" : { "method" : "POST", "url" : "Observation" },
                            "resource" : {
                              "resourceType" : "Observation",
                              "note" : [ { "text" : "a } and a \\" and a \\\\ and \\u00e9t\\u00e9 {[" } ],
                              "subject" : { "reference" : "Patient/40001" }
                            }
                          } ],
                          "resourceType" : "Bundle"
                        }"""),
                Arguments.of("entries that are not objects, null and odd resources", """
                        {"resourceType":"Bundle","type":"transaction","entry":[
                          7, {"resource":null,"request":null}, {"resource":[1,{"a":[]}],"request":{"method":1}}]}"""),
                Arguments.of("a resource that is a string, and unicode", """
                        {"resourceType":"Bundle","type":"batch","entry":[{"resource":"Observation ✓",
                          "request":{"method":"POST","url":"Observation"},"fullUrl":"urn:uuid:1"},
                          {"resource":{"resourceType":"Observation","code":{"text":"😀 €"}},"extra":{"x":[{}]}}]}"""),
                Arguments.of("a later entry field replaces an earlier one", """
                        {"resourceType":"Bundle","type":"batch","entry":[{"resource":{"id":"first"}}],
                         "entry":[{"resource":{"id":"second","subject":{"reference":"Patient/40002"}}}]}"""),
                Arguments.of("an entry of null", """
                        {"resourceType":"Bundle","type":"batch","entry":null}"""),
                Arguments.of("no entries", """
                        {"resourceType":"Bundle","type":"batch"}"""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bundles")
    void ingestReadsEachEntryAsTheBundleHasIt(String kind, String body) throws Exception {
        BundleReader.Read read = reader.readBundle(body, 10006, "request-1");

        // the envelope as it travels, read back as ingest-service reads it
        UploadEnvelope travelled = JSON.readValue(JSON.writeValueAsString(read.upload()), UploadEnvelope.class);
        JsonNode bundle = JSON.readTree(body);
        JsonNode entries = bundle.path("entry");
        assertThat(travelled.bundleType()).isEqualTo(bundle.path("type").asText());
        assertThat(travelled.uploaderUserId()).isEqualTo(10006);
        assertThat(travelled.requestId()).isEqualTo("request-1");
        assertThat(travelled.entries()).hasSize(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            JsonNode resource = entries.get(i).get("resource");
            JsonNode request = entries.get(i).path("request");
            JsonNode received = travelled.entries().get(i).resource();
            assertThat(received == null || received.isNull() ? null : received)
                    .isEqualTo(resource == null || resource.isNull() ? null : resource);
            assertThat(travelled.entries().get(i).method())
                    .isEqualTo(request.get("method") == null || request.get("method").isNull() ? null
                            : request.get("method").asText());
            assertThat(travelled.entries().get(i).url())
                    .isEqualTo(request.get("url") == null ? null : request.get("url").asText());
        }
        String firstSubject = entries.path(0).path("resource").path("subject").path("reference").asText("");
        assertThat(read.key()).isEqualTo(firstSubject.matches("Patient/[0-9]+")
                ? firstSubject.substring("Patient/".length()) : "10006");
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("not JSON", "{\"resourceType\":\"Bundle\",", 400, "invalid",
                        "The request body is not valid JSON."),
                Arguments.of("not JSON after a wrong resource type", "{\"resourceType\":\"Patient\",\"x\":[}", 400,
                        "invalid", "The request body is not valid JSON."),
                Arguments.of("an invalid escape inside a resource",
                        "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{\"resource\":{\"a\":\"\\q\"}}]}",
                        400, "invalid", "The request body is not valid JSON."),
                Arguments.of("an array", "[{\"resourceType\":\"Bundle\"}]", 400, "invalid",
                        "The request body must be a FHIR Bundle (resourceType \"Bundle\")."),
                Arguments.of("a string", "\"Bundle\"", 400, "invalid",
                        "The request body must be a FHIR Bundle (resourceType \"Bundle\")."),
                Arguments.of("another resource", "{\"resourceType\":\"Observation\",\"type\":\"batch\"}", 400,
                        "invalid", "The request body must be a FHIR Bundle (resourceType \"Bundle\")."),
                Arguments.of("a document Bundle", "{\"type\":\"document\",\"resourceType\":\"Bundle\"}", 400,
                        "not-supported",
                        "Bundle type 'document' is not supported: only batch and transaction Bundles can be posted."),
                Arguments.of("a Bundle without a type", "{\"resourceType\":\"Bundle\"}", 400, "not-supported",
                        "Bundle type '' is not supported: only batch and transaction Bundles can be posted."),
                Arguments.of("entry as an object", "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":{}}",
                        400, "invalid", "Bundle.entry must be an array."),
                Arguments.of("more entries than the limit",
                        "{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[{},{},{},{},{},{},{},{},{}]}", 413,
                        "too-costly", "The Bundle has 9 entries; at most 8 are accepted in one request."),
                Arguments.of("an empty body", "  ", 400, "invalid",
                        "The request body is empty: a FHIR Bundle in JSON is expected."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesWhatItCannotTake(String kind, String body, int status, String code, String message) {
        Throwable thrown = catchThrowable(() -> reader.readBundle(body, 10006, "request-1"));

        assertThat(thrown).isInstanceOf(UploadRejectedException.class);
        UploadRejectedException refusal = (UploadRejectedException) thrown;
        assertThat(refusal.status()).isEqualTo(status);
        assertThat(refusal.issueCode()).isEqualTo(code);
        assertThat(refusal.getMessage()).isEqualTo(message);
    }

    private static String sample(String name) throws IOException {
        try (InputStream in = BundleReaderTest.class.getClassLoader().getResourceAsStream("samples/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
