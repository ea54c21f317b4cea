package org.jupyterhealth.exchange.ingest.upload;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jupyterhealth.exchange.common.testing.ContractCheck;
import org.jupyterhealth.exchange.common.testing.StandInServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A stand-in for the two services ingest-service calls over HTTP: identity-service's token endpoint (client
 * credentials of {@code ingest-service}) and admin-service's {@code POST /internal/access/uploads} and
 * {@code GET /internal/patients} (a deletion's patient account), answering from a
 * small copy of the demo data (docs/compatibility.md#demo-data) as docs/internal-api.md specifies. It refuses calls
 * without the service token, and can be switched to failing to observe the fail-closed path. Every question and
 * answer is checked against docs/internal-api.yaml ({@link ContractCheck#standIn}): a mismatch fails the test.
 */
public class StandInAdmin implements QuarkusTestResourceLifecycleManager {
    public static final String SERVICE_TOKEN = "stand-in-service-token";
    public static final String OMH = "https://w3id.org/openmhealth";
    public static final String RESOURCE_TYPES = "http://hl7.org/fhir/resource-types";
    /** Consents withdrawn by a test: "patientId|code". */
    public static final Set<String> WITHDRAWN = ConcurrentHashMap.newKeySet();

    /** Set to make admin-service answer 500 to upload decisions. */
    public static final AtomicBoolean FAILING = new AtomicBoolean();
    /** Bodies of the upload-decision calls received, in order. */
    public static final List<JsonNode> QUESTIONS = new CopyOnWriteArrayList<>();

    record Patient(long userId, Set<Long> organizations, Set<String> consentedCodes) {
    }

    static final Map<Long, Patient> PATIENTS = Map.of(
            // Peter also consented to the scopes of the store's other types (the demo data requests none of them),
            // all but Procedure, the scope admin-service does not know here
            40001L, new Patient(10006, Set.of(20003L), peterConsents()),
            40002L, new Patient(10007, Set.of(20003L), Set.of("omh:blood-pressure:4.0", "omh:heart-rate:2.0",
                    "QuestionnaireResponse")),
            40003L, new Patient(10009, Set.of(20007L), Set.of("omh:body-temperature:4.0",
                    "omh:forced-vital-capacity:1.0")),
            40005L, new Patient(10011, Set.of(20006L, 20008L), Set.of("omh:blood-glucose:4.0",
                    "omh:oxygen-saturation:2.0")));
    /** Practitioner user → (organization → role). */
    static final Map<Long, Map<Long, String>> PRACTITIONERS = Map.of(
            10002L, Map.of(20001L, "manager", 20002L, "manager", 20003L, "manager"),
            10003L, Map.of(20003L, "member"),
            10004L, Map.of(20003L, "viewer"),
            10008L, Map.of(20004L, "manager", 20005L, "manager", 20006L, "manager", 20007L, "manager"));
    static final Map<Long, String> DATA_SOURCES = Map.of(70001L, "personal_device", 70002L, "personal_device",
            70003L, "personal_device", 70004L, "personal_device", 70005L, "patient_app", 70006L, "medical_device");
    static final Map<String, Long> CODES = Map.ofEntries(
            Map.entry("omh:blood-glucose:4.0", 50001L), Map.entry("omh:blood-pressure:4.0", 50002L),
            Map.entry("omh:body-temperature:4.0", 50003L), Map.entry("omh:heart-rate:2.0", 50004L),
            Map.entry("omh:oxygen-saturation:2.0", 50005L), Map.entry("omh:respiratory-rate:2.0", 50006L),
            Map.entry("omh:rr-interval:1.0", 50007L), Map.entry("omh:body-weight:3.0", 50008L),
            Map.entry("omh:forced-vital-capacity:1.0", 50009L), Map.entry("QuestionnaireResponse", 50011L),
            Map.entry("Patient", 50012L), Map.entry("Group", 50013L), Map.entry("Organization", 50014L),
            Map.entry("Practitioner", 50015L), Map.entry("Device", 50016L), Map.entry("Condition", 50017L),
            Map.entry("AllergyIntolerance", 50018L), Map.entry("CarePlan", 50019L), Map.entry("CareTeam", 50020L),
            Map.entry("Coverage", 50021L), Map.entry("DiagnosticReport", 50022L),
            Map.entry("DocumentReference", 50023L), Map.entry("Encounter", 50024L), Map.entry("Goal", 50025L),
            Map.entry("Immunization", 50026L), Map.entry("Location", 50027L), Map.entry("Medication", 50028L),
            Map.entry("MedicationDispense", 50029L), Map.entry("MedicationRequest", 50030L),
            Map.entry("MedicationStatement", 50031L), Map.entry("PractitionerRole", 50032L),
            Map.entry("Provenance", 50033L), Map.entry("RelatedPerson", 50034L), Map.entry("ServiceRequest", 50035L));

    private static Set<String> peterConsents() {
        Set<String> codes = new java.util.HashSet<>(Set.of("omh:blood-pressure:4.0", "omh:heart-rate:2.0"));
        org.jupyterhealth.exchange.common.fhir.ResourceStore.TYPES.stream()
                .filter(type -> !type.equals("Procedure") && !type.equals("Observation")).forEach(codes::add);
        return Set.copyOf(codes);
    }
    /** FHIR sources: id → (patient, data source). */
    static final Map<Long, long[]> FHIR_SOURCES = Map.of(90001L, new long[] { 40001, 70005 }, 90002L,
            new long[] { 40002, 70005 });

    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        server = StandInServer.open(4);
        server.createContext("/o/token", StandInAdmin::token);
        server.createContext("/internal/access/uploads", StandInAdmin::uploads);
        server.createContext("/internal/patients", StandInAdmin::patients);
        server.createContext("/internal/fhir_sources/", StandInAdmin::fhirSource);
        server.start();
        String base = StandInServer.url(server);
        return Map.of("quarkus.oidc-client.auth-server-url", base + "/o",
                "quarkus.rest-client.admin.url", base);
    }

    @Override
    public void stop() {
        StandInServer.stop(server);
    }

    private static void token(HttpExchange exchange) throws IOException {
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String basic = exchange.getRequestHeaders().getFirst("Authorization");
        boolean clientCredentials = form.contains("grant_type=client_credentials");
        boolean authenticated = (form.contains("client_id=ingest-service")
                && form.contains("client_secret=ingest-service-dev-secret"))
                || ("Basic " + Base64.getEncoder().encodeToString(
                        "ingest-service:ingest-service-dev-secret".getBytes(StandardCharsets.UTF_8))).equals(basic);
        if (!clientCredentials || !authenticated) {
            send(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        send(exchange, 200, "{\"access_token\":\"" + SERVICE_TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
    }

    private static void uploads(HttpExchange exchange) throws IOException {
        String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!("Bearer " + SERVICE_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answer(exchange, text, 401, "{\"detail\":\"Authentication credentials were not provided.\"}");
            return;
        }
        JsonNode question = JSON.readTree(text);
        QUESTIONS.add(question);
        if (FAILING.get()) {
            answer(exchange, text, 500, "{\"detail\":\"A server error occurred.\"}");
            return;
        }
        long userId = question.get("userId").asLong();
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode entries = answer.putArray("entries");
        for (JsonNode item : question.get("entries")) {
            entries.add(decide(userId, item));
        }
        answer(exchange, text, 200, JSON.writeValueAsString(answer));
    }

    /** {@code GET /internal/fhir_sources/{id}}: a FHIR source, or 404. */
    private static void fhirSource(HttpExchange exchange) throws IOException {
        if (!("Bearer " + SERVICE_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answer(exchange, null, 401, "{\"detail\":\"Authentication credentials were not provided.\"}");
            return;
        }
        if (FAILING.get()) {
            answer(exchange, null, 500, "{\"detail\":\"A server error occurred.\"}");
            return;
        }
        String id = exchange.getRequestURI().getPath().substring("/internal/fhir_sources/".length());
        long[] source = id.matches("[0-9]{1,9}") ? FHIR_SOURCES.get(Long.valueOf(id)) : null;
        if (source == null) {
            answer(exchange, null, 404, "{\"detail\":\"Not found.\"}");
            return;
        }
        ObjectNode record = JSON.createObjectNode().put("id", Long.parseLong(id)).put("patientId", source[0])
                .put("dataSourceId", source[1]).put("label", "Clinic").put("fhirBaseUrl", "https://fhir.example.org/r5");
        answer(exchange, null, 200, JSON.writeValueAsString(record));
    }

    /** {@code GET /internal/patients?ids=}: the records of the known patients among the ids, in their order. */
    private static void patients(HttpExchange exchange) throws IOException {
        if (!("Bearer " + SERVICE_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            answer(exchange, null, 401, "{\"detail\":\"Authentication credentials were not provided.\"}");
            return;
        }
        if (FAILING.get()) {
            answer(exchange, null, 500, "{\"detail\":\"A server error occurred.\"}");
            return;
        }
        String query = exchange.getRequestURI().getQuery();
        ArrayNode records = JSON.createArrayNode();
        String ids = query == null || !query.startsWith("ids=") ? "" : query.substring("ids=".length());
        for (String id : ids.split(",")) {
            Patient patient = id.isBlank() ? null : PATIENTS.get(Long.valueOf(id));
            if (patient != null) {
                ObjectNode record = records.addObject().put("id", Long.parseLong(id)).put("jheUserId",
                        patient.userId());
                record.putNull("nameFamily").putNull("nameGiven").putNull("birthDate").putNull("telecomPhone")
                        .putNull("telecomEmail").putNull("lastUpdated");
                record.putArray("identifiers");
                patient.organizations().forEach(record.putArray("organizationIds")::add);
            }
        }
        answer(exchange, null, 200, JSON.writeValueAsString(records));
    }

    /** Answers an upload-decision call, unless the question or the answer breaks docs/internal-api.yaml. */
    private static void answer(HttpExchange exchange, String question, int status, String body) throws IOException {
        List<String> problems = ContractCheck.standIn(exchange.getRequestMethod(), exchange.getRequestURI(), question,
                status, body);
        if (problems.isEmpty()) {
            send(exchange, status, body);
        } else {
            send(exchange, 500, JSON.writeValueAsString(Map.of("detail", "The stand-in broke the contract: "
                    + problems)));
        }
    }

    /** Steps 3–6 and 9–10 of docs/compatibility.md#upload-checks, in that order. */
    private static ObjectNode decide(long userId, JsonNode item) {
        long patientId = item.get("patientId").asLong();
        Patient patient = PATIENTS.get(patientId);
        if (patient == null) {
            return decision(400, "Patient id=" + patientId + " can not be found.", null);
        }
        Map<Long, String> roles = PRACTITIONERS.get(userId);
        if (roles != null) {
            boolean uploader = patient.organizations().stream()
                    .anyMatch(org -> roles.containsKey(org) && Set.of("manager", "member").contains(roles.get(org)));
            if (!uploader) {
                return decision(403, "Current user doesn't have access to the Patient.", null);
            }
        } else if (patient.userId() != userId) {
            return decision(403, "The Subject Patient does not match the current user.", null);
        }
        JsonNode dataSource = item.get("dataSourceId");
        if (dataSource == null || dataSource.isNull()) {
            return decision(400, "Device is required and must be a reference to a Data Source ID and start with "
                    + "'Device/'", null);
        }
        String system = item.get("system").asText();
        boolean storeScope = RESOURCE_TYPES.equals(system);
        if (storeScope ? !DATA_SOURCES.containsKey(dataSource.asLong())
                : !"personal_device".equals(DATA_SOURCES.get(dataSource.asLong()))) {
            return decision(400, "Device Data Source id=" + dataSource.asLong() + " can not be found.", null);
        }
        String code = item.get("code").asText();
        Long codeId = OMH.equals(system) || storeScope ? CODES.get(code) : null;
        if (codeId == null) {
            return decision(400, "Code not found: system=" + system + " code=" + code, null);
        }
        if (!patient.consentedCodes().contains(code) || WITHDRAWN.contains(patientId + "|" + code)) {
            return decision(403, "Observation data with coding_system=" + system + " coding_code=" + code
                    + " has not been consented for any studies by this Patient.", codeId);
        }
        return decision(201, null, codeId);
    }

    private static ObjectNode decision(int status, String detail, Long codeId) {
        ObjectNode node = JSON.createObjectNode();
        node.put("status", status);
        if (detail != null) {
            node.put("detail", detail);
        }
        if (codeId != null) {
            node.put("codeId", codeId);
        }
        return node;
    }

    static List<JsonNode> questions() {
        return new ArrayList<>(QUESTIONS);
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        StandInServer.sendJson(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }
}
