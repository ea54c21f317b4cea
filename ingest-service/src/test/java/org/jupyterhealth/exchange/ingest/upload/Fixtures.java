package org.jupyterhealth.exchange.ingest.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.jupyterhealth.exchange.common.upload.UploadEntry;
import org.jupyterhealth.exchange.common.upload.UploadEnvelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Observations and uploads as the mobile apps send them, built from the example data points and samples. */
public final class Fixtures {
    public static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    public static final String OMH = "https://w3id.org/openmhealth";
    public static final String HEART_RATE = "omh:heart-rate:2.0";
    public static final String BLOOD_PRESSURE = "omh:blood-pressure:4.0";
    public static final String BLOOD_GLUCOSE = "omh:blood-glucose:4.0";
    public static final long PETER = 40001, PETER_USER = 10006, PAMELA = 40002, PERCY = 40003, PERCY_USER = 10009, PAT = 40005, PAT_USER = 10011;
    public static final long MARY = 10002, MEGAN = 10003, VICTOR = 10004, MARK = 10008;
    public static final long CAREX = 70001;

    private Fixtures() {
    }

    /** The example Open mHealth data point for a code, e.g. omh:heart-rate:2.0 → omh_heart-rate_2-0.json. */
    public static ObjectNode dataPoint(String code) {
        String file = "omh-examples/" + code.replace(':', '_').replace('.', '-') + ".json";
        return (ObjectNode) readTree(file);
    }

    public static String base64(JsonNode dataPoint) {
        return Base64.getEncoder().encodeToString(dataPoint.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A valid Observation for the patient and code, from CareX, with a fresh identifier. */
    public static ObjectNode observation(long patientId, String code) {
        return observation(patientId, code, dataPoint(code));
    }

    public static ObjectNode observation(long patientId, String code, JsonNode dataPoint) {
        ObjectNode resource = JSON.createObjectNode();
        resource.put("resourceType", "Observation");
        resource.put("status", "final");
        ObjectNode identifier = resource.putArray("identifier").addObject();
        identifier.put("system", "https://commonhealth.org");
        identifier.put("value", UUID.randomUUID().toString());
        ObjectNode coding = resource.putObject("code").putArray("coding").addObject();
        coding.put("system", OMH);
        coding.put("code", code);
        resource.putObject("subject").put("reference", "Patient/" + patientId);
        resource.putObject("device").put("reference", "Device/" + CAREX);
        ObjectNode attachment = resource.putObject("valueAttachment");
        attachment.put("contentType", "application/json");
        attachment.put("data", base64(dataPoint));
        return resource;
    }

    public static String identifierOf(JsonNode resource) {
        return resource.get("identifier").get(0).get("value").asText();
    }

    /** An upload of these resources, each a POST to Observation. */
    public static UploadEnvelope upload(long uploaderUserId, String bundleType, JsonNode... resources) {
        List<UploadEntry> entries = new ArrayList<>();
        for (JsonNode resource : resources) {
            entries.add(new UploadEntry(resource.deepCopy(), "POST", "Observation"));
        }
        return new UploadEnvelope(UploadEnvelope.CURRENT_VERSION, UUID.randomUUID(), uploaderUserId, bundleType,
                Instant.now(), "test-request", entries);
    }

    public static UploadEnvelope batch(long uploaderUserId, JsonNode... resources) {
        return upload(uploaderUserId, UploadEnvelope.BATCH, resources);
    }

    /**
     * An upload of a sample Bundle, entry by entry, as fhir-service sends it; each identifier value gets a fresh
     * suffix, so that the sample can be uploaded by several tests (and test runs) on the same broker.
     */
    public static UploadEnvelope sample(long uploaderUserId, String name) {
        JsonNode bundle = readTree("samples/" + name);
        String run = "-" + UUID.randomUUID();
        List<UploadEntry> entries = new ArrayList<>();
        for (JsonNode entry : bundle.get("entry")) {
            for (JsonNode identifier : entry.path("resource").path("identifier")) {
                ((ObjectNode) identifier).put("value", identifier.get("value").asText() + run);
            }
            entries.add(new UploadEntry(entry.get("resource"), entry.path("request").path("method").asText(null),
                    entry.path("request").path("url").asText(null)));
        }
        return new UploadEnvelope(UploadEnvelope.CURRENT_VERSION, UUID.randomUUID(), uploaderUserId,
                bundle.get("type").asText(), Instant.now(), "test-request", entries);
    }

    public static JsonNode readTree(String resource) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
