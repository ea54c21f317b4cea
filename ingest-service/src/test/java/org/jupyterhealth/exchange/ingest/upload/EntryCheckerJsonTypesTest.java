package org.jupyterhealth.exchange.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.HEART_RATE;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.PETER;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.PETER_USER;

import java.io.IOException;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.jupyterhealth.exchange.common.upload.EntryOutcome;
import org.jupyterhealth.exchange.common.upload.UploadEntry;
import org.jupyterhealth.exchange.common.upload.UploadEnvelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every element of an uploaded Observation has the JSON type FHIR gives it: a string where FHIR has a string (never a
 * number, boolean or array read as its text), a number or boolean where FHIR has one, an array exactly where the
 * element repeats. Anything else is a 400 entry naming the element; what the apps send passes.
 */
class EntryCheckerJsonTypesTest {
    private static final String NOT_R5 = "The resource is not a valid FHIR R5 resource: ";

    static Stream<Arguments> wrongTypes() {
        return Stream.of(
                Arguments.of("identifier[0].system", "123", "Observation.identifier[0].system must be a JSON string, "
                        + "not a whole number."),
                Arguments.of("identifier[0].system", "true", "Observation.identifier[0].system must be a JSON string, "
                        + "not a boolean."),
                Arguments.of("identifier[0].system", "[\"a\"]", "Observation.identifier[0].system holds one value: it "
                        + "must not be an array."),
                Arguments.of("identifier[0].value", "123", "Observation.identifier[0].value must be a JSON string, "
                        + "not a whole number."),
                Arguments.of("identifier[0].value", "false", "Observation.identifier[0].value must be a JSON string, "
                        + "not a boolean."),
                Arguments.of("identifier[0].value", "[\"a\"]", "Observation.identifier[0].value holds one value: it "
                        + "must not be an array."),
                Arguments.of("valueAttachment.contentType", "1.5", "Observation.valueAttachment.contentType must be a "
                        + "JSON string, not a decimal number."),
                Arguments.of("valueAttachment.contentType", "true", "Observation.valueAttachment.contentType must be a "
                        + "JSON string, not a boolean."),
                Arguments.of("valueAttachment.contentType", "[\"application/json\"]", "Observation.valueAttachment."
                        + "contentType holds one value: it must not be an array."),
                Arguments.of("status", "1", "Observation.status must be a JSON string, not a whole number."),
                Arguments.of("subject.reference", "40001", "Observation.subject.reference must be a JSON string, not "
                        + "a whole number."),
                Arguments.of("code.coding[0].code", "[\"omh:heart-rate:2.0\"]", "Observation.code.coding[0].code holds "
                        + "one value: it must not be an array."),
                Arguments.of("code.coding[0].userSelected", "\"true\"", "Observation.code.coding[0].userSelected must "
                        + "be true or false, not a string."),
                // integer64 (Attachment.size) is a string in FHIR's JSON
                Arguments.of("valueAttachment.size", "12", "Observation.valueAttachment.size must be a JSON string, "
                        + "not a whole number."),
                Arguments.of("valueAttachment.data", "{\"a\":1}", "Observation.valueAttachment.data must be a JSON "
                        + "string, not an object."),
                Arguments.of("effectiveDateTime", "20250101", "Observation.effectiveDateTime must be a JSON string, "
                        + "not a whole number."),
                Arguments.of("identifier", "{\"system\":\"a\",\"value\":\"b\"}", "Observation.identifier repeats: "
                        + "it must be an array, not an object."),
                Arguments.of("identifier[0]", "\"a\"", "Observation.identifier[0] must be a JSON object, not a "
                        + "string."),
                Arguments.of("note", "\"a note\"", "Observation.note repeats: it must be an array, not a string."),
                Arguments.of("component", "[{\"code\":{\"text\":\"x\"},\"valueQuantity\":{\"value\":\"60\"}}]",
                        "Observation.component[0].valueQuantity.value must be a JSON number, not a string."),
                Arguments.of("component", "[{\"code\":{\"text\":\"x\"},\"valueInteger\":60.5}]",
                        "Observation.component[0].valueInteger must be a whole JSON number, not a decimal number."),
                Arguments.of("meta", "{\"profile\":\"http://example.org/p\"}", "Observation.meta.profile repeats: it "
                        + "must be an array, not a string."),
                Arguments.of("extension", "[{\"url\":\"http://example.org/x\",\"valueString\":7}]",
                        "Observation.extension[0].valueString must be a JSON string, not a whole number."),
                Arguments.of("modifierExtension", "[{\"url\":7,\"valueBoolean\":true}]",
                        "Observation.modifierExtension[0].url must be a JSON string, not a whole number."),
                Arguments.of("_status", "{\"extension\":[{\"url\":\"http://example.org/x\",\"valueCode\":false}]}",
                        "Observation._status.extension[0].valueCode must be a JSON string, not a boolean."),
                Arguments.of("_status", "\"x\"", "Observation._status must be a JSON object, not a string."),
                Arguments.of("contained", "[{\"resourceType\":\"Device\",\"id\":\"d\",\"serialNumber\":123}]",
                        "Observation.contained[0].serialNumber must be a JSON string, not a whole number."));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("wrongTypes")
    void anElementOfTheWrongJsonTypeIsA400EntryNamingIt(String path, String json, String message) {
        CheckedEntry checked = check(with(Fixtures.observation(PETER, HEART_RATE), path, json));

        assertThat(checked.rejected()).isNotNull();
        assertThat(checked.rejected().status()).isEqualTo(400);
        assertThat(checked.rejected().issueCode()).isEqualTo("invalid");
        assertThat(checked.rejected().diagnostics()).isEqualTo(NOT_R5 + message);
    }

    static Stream<Arguments> rightTypes() {
        return Stream.of(
                // Attachment.size is integer64, which FHIR's JSON writes as a string
                Arguments.of("valueAttachment.size", "\"12\""),
                Arguments.of("identifier[0].system", "null"),
                Arguments.of("code.coding[0].userSelected", "true"),
                Arguments.of("component", "[{\"code\":{\"text\":\"x\"},\"valueQuantity\":{\"value\":60.5,"
                        + "\"unit\":\"beats/min\"}},{\"code\":{\"text\":\"y\"},\"valueInteger\":60}]"),
                Arguments.of("meta", "{\"profile\":[\"http://example.org/p\"],\"lastUpdated\":"
                        + "\"2025-01-01T00:00:00Z\"}"),
                Arguments.of("extension", "[{\"url\":\"http://example.org/x\",\"valueString\":\"7\"},"
                        + "{\"url\":\"http://example.org/y\",\"extension\":[{\"url\":\"z\",\"valueDecimal\":1.5}]}]"),
                Arguments.of("_status", "{\"id\":\"s\",\"extension\":[{\"url\":\"http://example.org/x\","
                        + "\"valueCode\":\"c\"}]}"),
                Arguments.of("note", "[{\"text\":\"a note\"}]"),
                Arguments.of("contained", "[{\"resourceType\":\"Device\",\"id\":\"d\",\"serialNumber\":\"123\"}]"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("rightTypes")
    void elementsOfTheirOwnJsonTypeAreTaken(String path, String json) {
        CheckedEntry checked = check(with(Fixtures.observation(PETER, HEART_RATE), path, json));

        assertThat(checked.rejected()).isNull();
        assertThat(checked.payloadProblem()).isNull();
    }

    static Stream<Arguments> samples() {
        return Stream.of(Arguments.of("upload-bundle-blood-pressure.json"), Arguments.of("upload-bundle-mixed.json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everyEntryOfTheAppsSamplesPassesTheChecks(String sample) {
        UploadEnvelope upload = Fixtures.sample(PETER_USER, sample);

        for (int i = 0; i < upload.entries().size(); i++) {
            CheckedEntry checked = EntryCheckerTest.CHECKER.check(i, upload.entries().get(i));
            EntryOutcome rejected = checked.rejected();
            assertThat(rejected).as("entry %d", i).isNull();
        }
    }

    private static CheckedEntry check(JsonNode resource) {
        return EntryCheckerTest.CHECKER.check(0, new UploadEntry(resource, "POST", "Observation"));
    }

    /** The resource with the element at a dotted path ({@code a.b[0].c}) set to the JSON value. */
    private static ObjectNode with(ObjectNode resource, String path, String json) {
        JsonNode value;
        try {
            value = Fixtures.JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        String[] steps = path.split("\\.");
        JsonNode parent = resource;
        for (int i = 0; i < steps.length - 1; i++) {
            parent = step(parent, steps[i]);
        }
        String last = steps[steps.length - 1];
        int bracket = last.indexOf('[');
        if (bracket < 0) {
            ((ObjectNode) parent).set(last, value);
        } else {
            int index = Integer.parseInt(last.substring(bracket + 1, last.length() - 1));
            ((ArrayNode) parent.get(last.substring(0, bracket))).set(index, value);
        }
        return resource;
    }

    private static JsonNode step(JsonNode node, String step) {
        int bracket = step.indexOf('[');
        if (bracket < 0) {
            return node.get(step);
        }
        return node.get(step.substring(0, bracket)).get(Integer.parseInt(step.substring(bracket + 1,
                step.length() - 1)));
    }
}
