package org.jupyterhealth.exchange.systemtests;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import io.restassured.response.Response;

/**
 * Observation uploads as the mobile apps send them, and a look at the observation store (the systest database) to
 * count what was stored.
 */
final class Uploads {
    static final String FHIR_JSON = "application/fhir+json";
    static final String HEART_RATE = "omh:heart-rate:2.0";
    static final String BLOOD_PRESSURE = "omh:blood-pressure:4.0";
    static final String BLOOD_GLUCOSE = "omh:blood-glucose:4.0";

    private Uploads() {
    }

    /** An Observation of the patient from CareX (Device/70001) with a fresh identifier, as a Bundle entry. */
    static String entry(long patientId, String code, String identifier) {
        return entry(patientId, code, identifier, body(code, "mg/dL"));
    }

    static String entry(long patientId, String code, String identifier, String body) {
        String[] parts = code.split(":");
        String dataPoint = "{\"header\":{\"uuid\":\"" + UUID.randomUUID() + "\",\"schema_id\":{\"namespace\":\""
                + parts[0] + "\",\"name\":\"" + parts[1] + "\",\"version\":\"" + parts[2] + "\"},"
                + "\"source_creation_date_time\":\"2025-01-01T01:04:01-08:00\",\"modality\":\"sensed\"},"
                + "\"body\":" + body + "}";
        return "{\"resource\":{\"resourceType\":\"Observation\",\"status\":\"final\","
                + "\"identifier\":[{\"system\":\"https://commonhealth.org\",\"value\":\"" + identifier + "\"}],"
                + "\"code\":{\"coding\":[{\"system\":\"https://w3id.org/openmhealth\",\"code\":\"" + code + "\"}]},"
                + "\"subject\":{\"reference\":\"Patient/" + patientId + "\"},"
                + "\"device\":{\"reference\":\"Device/70001\"},"
                + "\"valueAttachment\":{\"contentType\":\"application/json\",\"data\":\""
                + Base64.getEncoder().encodeToString(dataPoint.getBytes(StandardCharsets.UTF_8)) + "\"}},"
                + "\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}";
    }

    /** A valid Open mHealth body for the code (the blood-glucose unit is given). */
    static String body(String code, String glucoseUnit) {
        String time = "\"effective_time_frame\":{\"date_time\":\"2025-01-01T00:04:00-08:00\"}";
        return switch (code) {
            case HEART_RATE -> "{\"heart_rate\":{\"value\":67.5,\"unit\":\"beats/min\"}," + time + "}";
            case BLOOD_PRESSURE -> "{\"systolic_blood_pressure\":{\"value\":115,\"unit\":\"mmHg\"},"
                    + "\"diastolic_blood_pressure\":{\"value\":60,\"unit\":\"mmHg\"}," + time + "}";
            case BLOOD_GLUCOSE -> "{\"blood_glucose\":{\"value\":129,\"unit\":\"" + glucoseUnit + "\"}," + time + "}";
            default -> throw new IllegalArgumentException(code);
        };
    }

    static String bundle(String type, List<String> entries) {
        return "{\"resourceType\":\"Bundle\",\"type\":\"" + type + "\",\"entry\":[" + String.join(",", entries) + "]}";
    }

    static String batch(String... entries) {
        return bundle("batch", List.of(entries));
    }

    /** A batch of n heart-rate observations of the patient, with fresh identifiers (returned in {@code ids}). */
    static String heartRates(long patientId, int n, List<String> ids) {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = UUID.randomUUID().toString();
            ids.add(id);
            entries.add(entry(patientId, HEART_RATE, id));
        }
        return bundle("batch", entries);
    }

    static String sample(String name) {
        try (InputStream in = Uploads.class.getClassLoader().getResourceAsStream("samples/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sample Bundle with fresh identifiers, so that it can be uploaded again. */
    static String freshSample(String name) {
        return Pattern.compile("\"value\": \"[0-9a-f-]{36}\"").matcher(sample(name))
                .replaceAll(match -> "\"value\": \"" + UUID.randomUUID() + "\"");
    }

    /** POSTs a Bundle; skips the calling test when the upload decisions of admin-service are not deployed. */
    static Response post(String token, String path, String body, Map<String, String> headers) {
        Response response = given().auth().oauth2(token).contentType(FHIR_JSON).headers(headers).body(body)
                .when().post(path);
        assumeDecisions(response);
        return response;
    }

    static Response post(String token, String body) {
        return post(token, "/fhir/r5/", body, Map.of());
    }

    /**
     * Uploads need admin-service's {@code POST /internal/access/uploads} and the service clients of
     * identity-service; a stack without them answers every upload 503 "Upload decisions are unavailable".
     */
    static void assumeDecisions(Response response) {
        assumeFalse(response.statusCode() == 503 && response.asString().contains("Upload decisions are unavailable"),
                "admin-service's upload decisions or ingest-service's service client are not deployed");
    }

    // ------------------------------------------------------------------------------------------ the store

    static Connection store() throws SQLException {
        int port = listening(5432) ? 5432 : 15432;
        String database = SystemStack.PORTS.databaseName();
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, "postgres", null);
    }

    /** How many stored observations carry each of these identifier values (in total), and how many distinct. */
    static long[] storedIdentifiers(List<String> values) throws SQLException {
        try (Connection db = store(); PreparedStatement query = db.prepareStatement("""
                SELECT count(*), count(DISTINCT o.id) FROM ingest.observation_identifier i
                JOIN ingest.observation o ON o.id = i.observation_id
                WHERE i.value = ANY(?)""")) {
            query.setArray(1, db.createArrayOf("text", values.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return new long[] { rows.getLong(1), rows.getLong(2) };
            }
        }
    }

    static long storedFromUploads(List<UUID> uploadIds) throws SQLException {
        try (Connection db = store(); PreparedStatement query = db.prepareStatement(
                "SELECT count(*) FROM ingest.observation WHERE upload_id = ANY(?)")) {
            query.setArray(1, db.createArrayOf("uuid", uploadIds.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
