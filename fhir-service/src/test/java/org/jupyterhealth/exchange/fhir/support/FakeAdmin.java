package org.jupyterhealth.exchange.fhir.support;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jupyterhealth.exchange.common.testing.ContractCheck;
import org.jupyterhealth.exchange.common.testing.StandInServer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A stand-in for admin-service's internal API (docs/internal-api.md) and identity-service's token endpoint, serving the
 * original's demo world with the exchange's access rules: a practitioner sees the patients of the organizations it is a
 * direct member of, and their codes consented in studies of those organizations; a patient sees itself. One more
 * organization (20009, practitioner 10012, patient 40010 consenting heart rate in study 30006) is used by the paging
 * tests. It refuses calls without the service token it issued. Tests steer it over HTTP ({@code /_control/...}): revoke
 * a consent, add one (a study requesting a resource type's scope, e.g. Patient, and the patient consenting to it), make
 * it fail, reset it. Every {@code /internal} request and answer is checked against
 * docs/internal-api.yaml ({@link ContractCheck#standIn}): a mismatch is answered 500 and fails the test.
 */
public class FakeAdmin implements QuarkusTestResourceLifecycleManager {
    public static final String SERVICE_TOKEN = "fake-service-token-for-fhir-service";
    public static final String OMH = "https://w3id.org/openmhealth";
    public static final String BP = "omh:blood-pressure:4.0";
    public static final String HR = "omh:heart-rate:2.0";
    public static final String BT = "omh:body-temperature:4.0";
    public static final String O2 = "omh:oxygen-saturation:2.0";
    public static final String BG = "omh:blood-glucose:4.0";
    public static final String QR = "QuestionnaireResponse";

    private static final ObjectMapper JSON = new ObjectMapper();
    private HttpServer server;
    private final World world = new World();
    private volatile boolean unavailable;
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final AtomicInteger accessRequests = new AtomicInteger();

    @Override
    public Map<String, String> start() {
        server = StandInServer.open(8);
        server.createContext("/", this::handle);
        server.start();
        String url = StandInServer.url(server);
        return Map.of("jhe.fhir.admin-url", url, "quarkus.oidc-client.auth-server-url", url + "/o");
    }

    @Override
    public void stop() {
        StandInServer.stop(server);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            if (path.startsWith("/_control/")) {
                control(path.substring("/_control/".length()), query);
                send(exchange, 200, Map.of("accessRequests", accessRequests.get(), "tokenRequests", tokenRequests.get()));
                return;
            }
            if (path.equals("/o/token")) {
                tokenRequests.incrementAndGet();
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                if (!body.contains("grant_type=client_credentials")) {
                    send(exchange, 400, Map.of("error", "unsupported_grant_type"));
                    return;
                }
                send(exchange, 200, Map.of("access_token", SERVICE_TOKEN, "token_type", "Bearer", "expires_in", 3600));
                return;
            }
            if (!("Bearer " + SERVICE_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, Map.of("detail", "Authentication credentials were not provided."));
                return;
            }
            if (unavailable) {
                send(exchange, 500, Map.of("detail", "A server error occurred."));
                return;
            }
            Object answer = switch (path) {
                case "/internal/access/observations" -> {
                    accessRequests.incrementAndGet();
                    yield world.observationAccess(query);
                }
                case "/internal/access/patients" -> world.patientAccess(query);
                case "/internal/patients" -> world.patients(query.getOrDefault("ids", ""));
                case "/internal/studies" -> page(world.studies(Long.parseLong(query.get("userId"))));
                case "/internal/organizations" -> page(world.organizations(Long.parseLong(query.get("userId"))));
                case "/internal/data-sources" -> page(world.dataSources(Long.parseLong(query.get("userId"))));
                case "/internal/practitioners" -> page(world.practitioners(Long.parseLong(query.get("userId"))));
                case "/internal/codes" -> world.codes();
                default -> new Refusal(404, "Not found.");
            };
            if (answer instanceof Refusal refusal) {
                send(exchange, refusal.status(), Map.of("detail", refusal.detail()));
            } else {
                send(exchange, 200, answer);
            }
        } catch (RuntimeException e) {
            send(exchange, 500, Map.of("detail", e.toString()));
        }
    }

    private void control(String command, Map<String, String> query) {
        switch (command) {
            case "revoke" -> world.revoke(Long.parseLong(query.get("patient")), Long.parseLong(query.get("study")),
                    query.get("code"));
            case "consent" -> world.consentTo(Long.parseLong(query.get("patient")),
                    Long.parseLong(query.get("study")), query.get("code"));
            case "unavailable" -> unavailable = Boolean.parseBoolean(query.get("on"));
            case "reset" -> {
                world.reset();
                unavailable = false;
            }
            default -> {
            }
        }
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        if (exchange.getRequestURI().getPath().startsWith("/internal/")) {
            List<String> problems = ContractCheck.standIn(exchange.getRequestMethod(), exchange.getRequestURI(), null,
                    status, new String(bytes, StandardCharsets.UTF_8));
            if (!problems.isEmpty()) {
                status = 500;
                bytes = JSON.writeValueAsBytes(Map.of("detail", "The stand-in broke the contract: " + problems));
            }
        }
        StandInServer.sendJson(exchange, status, bytes);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return params;
    }

    /** A search's answer: every record on one page (the demo world is smaller than a page). */
    private static Map<String, Object> page(List<Map<String, Object>> records) {
        return Map.of("total", records.size(), "results", records);
    }

    record Refusal(int status, String detail) {
    }

    record Study(long id, String name, long organization, Set<String> requested, Set<Long> dataSources) {
    }

    /** The original's demo world, plus the paging organization. */
    static final class World {
        final Map<Long, Set<Long>> practitionerOrgs = new HashMap<>();
        final Map<Long, Long> patientOfUser = new HashMap<>();
        final Map<Long, Set<Long>> patientOrgs = new HashMap<>();
        final Map<Long, Study> studies = new LinkedHashMap<>();
        /** patient -> study -> consented codes (enrolment = presence of the study key) */
        final Map<Long, Map<Long, Set<String>>> consents = new ConcurrentHashMap<>();
        /** study -> scopes it requests besides its own (a resource type's, added by a test) */
        final Map<Long, Set<String>> addedScopes = new ConcurrentHashMap<>();

        World() {
            practitionerOrgs.put(10002L, Set.of(20001L, 20002L, 20003L));
            practitionerOrgs.put(10003L, Set.of(20003L));
            practitionerOrgs.put(10004L, Set.of(20003L));
            practitionerOrgs.put(10005L, Set.of(20003L, 20007L, 20008L));
            practitionerOrgs.put(10008L, Set.of(20004L, 20005L, 20006L, 20007L));
            practitionerOrgs.put(10012L, Set.of(20009L));
            practitionerOrgs.put(10001L, Set.of());
            patientOfUser.putAll(Map.of(10006L, 40001L, 10007L, 40002L, 10009L, 40003L, 10010L, 40004L,
                    10011L, 40005L, 10013L, 40010L));
            patientOrgs.putAll(Map.of(40001L, Set.of(20003L), 40002L, Set.of(20003L), 40003L, Set.of(20007L),
                    40004L, Set.of(20008L), 40005L, Set.of(20006L, 20008L), 40010L, Set.of(20009L)));
            studies.put(30001L, new Study(30001, "Lifespan Study on BP & HR", 20003, Set.of(BP, HR, QR),
                    Set.of(70001L, 70005L)));
            studies.put(30002L, new Study(30002, "Lifespan Study on BP", 20003, Set.of(BP, QR), Set.of(70001L, 70005L)));
            studies.put(30003L, new Study(30003, "Cardiology Div Study on BGL", 20006, Set.of(BG), Set.of(70002L)));
            studies.put(30004L, new Study(30004, "Nep Pulse Lab Study on BT", 20007, Set.of(BT), Set.of(70003L)));
            studies.put(30005L, new Study(30005, "Cosmic Cardio Lab Study on O2", 20008, Set.of(O2), Set.of()));
            studies.put(30006L, new Study(30006, "Paging Study on HR", 20009, Set.of(HR), Set.of(70004L)));
            reset();
        }

        void reset() {
            consents.clear();
            addedScopes.clear();
            consent(40001, 30001, BP, HR, QR);
            consent(40001, 30002);
            consent(40002, 30001, BP, HR, QR);
            consent(40002, 30002, BP, QR);
            consent(40003, 30004, BT);
            consent(40004, 30005, O2);
            consent(40005, 30003, BG);
            consent(40005, 30005, O2);
            consent(40010, 30006, HR);
        }

        private void consent(long patient, long study, String... codes) {
            consents.computeIfAbsent(patient, p -> new ConcurrentHashMap<>())
                    .put(study, ConcurrentHashMap.newKeySet());
            consents.get(patient).get(study).addAll(List.of(codes));
        }

        /** The study requests the scope (a resource type, e.g. Patient) and the patient consents to it there. */
        void consentTo(long patient, long study, String code) {
            addedScopes.computeIfAbsent(study, s -> ConcurrentHashMap.newKeySet()).add(code);
            consents.computeIfAbsent(patient, p -> new ConcurrentHashMap<>())
                    .computeIfAbsent(study, s -> ConcurrentHashMap.newKeySet()).add(code);
        }

        void revoke(long patient, long study, String code) {
            consents.getOrDefault(patient, Map.of()).getOrDefault(study, Set.of()).remove(code);
        }

        /** The patients the user may see, or a refusal; null filters are absent. */
        Object visible(long user, Long org, Long study, Long patient) {
            if (patient != null && !patientOrgs.containsKey(patient)) {
                return new Refusal(404, "Patient/" + patient + " does not exist.");
            }
            if (study != null && !studies.containsKey(study)) {
                return new Refusal(404, "Group/" + study + " does not exist.");
            }
            Long self = patientOfUser.get(user);
            Set<Long> result = new LinkedHashSet<>();
            if (self != null) {
                result.add(self);
            } else {
                Set<Long> orgs = practitionerOrgs.getOrDefault(user, Set.of());
                if (org != null && !orgs.contains(org)) {
                    return new Refusal(403, "Current user is not authorized to access Organization/" + org + ".");
                }
                if (study != null && !orgs.contains(studies.get(study).organization())) {
                    return new Refusal(403, "Current user is not authorized to access Group/" + study + ".");
                }
                if (patient != null && patientOrgs.get(patient).stream().noneMatch(orgs::contains)) {
                    return new Refusal(403, "Current user is not authorized to access Patient/" + patient + ".");
                }
                patientOrgs.forEach((p, pOrgs) -> {
                    if (pOrgs.stream().anyMatch(orgs::contains)) {
                        result.add(p);
                    }
                });
            }
            result.removeIf(p -> org != null && !patientOrgs.get(p).contains(org));
            result.removeIf(p -> study != null && !consents.getOrDefault(p, Map.of()).containsKey(study));
            result.removeIf(p -> patient != null && p.longValue() != patient);
            return result;
        }

        Object patientAccess(Map<String, String> q) {
            Object visible = visible(Long.parseLong(q.get("userId")), id(q, "organizationId"), id(q, "studyId"),
                    id(q, "patientId"));
            return visible instanceof Refusal ? visible : Map.of("patientIds", visible);
        }

        Object observationAccess(Map<String, String> q) {
            long user = Long.parseLong(q.get("userId"));
            Long study = id(q, "studyId");
            Object visible = visible(user, id(q, "organizationId"), study, id(q, "patientId"));
            if (visible instanceof Refusal) {
                return visible;
            }
            Set<Long> userOrgs = practitionerOrgs.getOrDefault(user, Set.of());
            boolean isPatient = patientOfUser.containsKey(user);
            Map<Set<String>, List<Long>> groups = new LinkedHashMap<>();
            for (Long patient : (Set<Long>) visible) {
                Set<String> codes = new TreeSet<>();
                consents.getOrDefault(patient, Map.of()).forEach((s, consented) -> {
                    Study st = studies.get(s);
                    boolean shared = isPatient || userOrgs.contains(st.organization());
                    if (shared && (study == null || study.equals(s))) {
                        consented.stream().filter(c -> st.requested().contains(c)
                                || addedScopes.getOrDefault(s, Set.of()).contains(c)).forEach(codes::add);
                    }
                });
                if (!codes.isEmpty()) {
                    groups.computeIfAbsent(codes, c -> new ArrayList<>()).add(patient);
                }
            }
            List<Map<String, Object>> grants = new ArrayList<>();
            groups.forEach((codes, patients) -> grants.add(Map.of("patientIds", patients, "codes",
                    codes.stream().map(c -> Map.of("system", c.startsWith("omh:") ? OMH
                            : "http://hl7.org/fhir/resource-types",
                            "code", c)).toList())));
            return Map.of("grants", grants);
        }

        Object patients(String ids) {
            List<Map<String, Object>> found = new ArrayList<>();
            for (String id : ids.split(",")) {
                if (id.isBlank()) {
                    continue;
                }
                long patient = Long.parseLong(id.trim());
                if (!patientOrgs.containsKey(patient)) {
                    continue;
                }
                long user = patientOfUser.entrySet().stream().filter(e -> e.getValue() == patient)
                        .map(Map.Entry::getKey).findFirst().orElseThrow();
                Map<String, Object> record = new TreeMap<>();
                record.put("id", patient);
                record.put("jheUserId", user);
                record.put("nameFamily", "Family" + patient);
                record.put("nameGiven", "Given" + patient);
                record.put("birthDate", "1980-01-0" + (patient % 9 + 1));
                record.put("telecomPhone", "+1-555-000-" + patient % 10000);
                record.put("telecomEmail", "patient" + patient + "@example.com");
                record.put("identifiers", patient == 40001
                        ? List.of(Map.of("system", "https://openwearables.io/ns/patient-id", "value", "abc123"),
                                Map.of("system", "urn:oid:1.2.3.4", "value", "E1234"))
                        : List.of());
                record.put("organizationIds", patientOrgs.get(patient));
                record.put("lastUpdated", "2025-01-0" + (patient % 9 + 1) + "T10:00:00Z");
                found.add(record);
            }
            return found;
        }

        List<Map<String, Object>> studies(long user) {
            Long self = patientOfUser.get(user);
            Set<Long> orgs = practitionerOrgs.getOrDefault(user, Set.of());
            return studies.values().stream()
                    .filter(s -> self != null ? consents.getOrDefault(self, Map.of()).containsKey(s.id())
                            : orgs.contains(s.organization()))
                    .map(s -> {
                        Map<String, Object> record = new LinkedHashMap<>();
                        record.put("id", s.id());
                        record.put("name", s.name());
                        record.put("description", s.name() + " description");
                        record.put("organizationId", s.organization());
                        record.put("iconUrl", null);
                        record.put("lastUpdated", "2025-02-01T00:00:00Z");
                        return record;
                    })
                    .toList();
        }

        List<Map<String, Object>> organizations(long user) {
            Long self = patientOfUser.get(user);
            Set<Long> orgs = self != null ? patientOrgs.get(self) : practitionerOrgs.getOrDefault(user, Set.of());
            Map<Long, String> names = Map.of(20001L, "Planetary Research Institute", 20002L,
                    "Saturn School of Data Science", 20003L, "Lifespan Lab", 20004L, "Neptune Health System", 20005L,
                    "Department of Medicine", 20006L, "Cardiology Division", 20007L, "Neptunian Pulse Lab", 20008L,
                    "Cosmic Cardio Lab", 20009L, "Paging Lab");
            return orgs.stream().sorted().<Map<String, Object>>map(o -> Map.of("id", o, "name", names.get(o),
                    "type", "laboratory", "partOf", o == 20001L || o == 20004L ? 0L : o - 1,
                    "lastUpdated", "2025-03-01T00:00:00Z")).toList();
        }

        List<Map<String, Object>> dataSources(long user) {
            List<Map<String, Object>> visibleStudies = studies(user);
            Set<Long> ids = new TreeSet<>();
            visibleStudies.forEach(s -> ids.addAll(studies.get((Long) s.get("id")).dataSources()));
            Map<Long, String> names = Map.of(70001L, "CareX", 70002L, "Dexcom", 70003L, "iHealth", 70004L, "Oura",
                    70005L, "Questionnaire", 70006L, "Patient Access API");
            return ids.stream().<Map<String, Object>>map(id -> Map.of("id", id, "name", names.get(id),
                    "type", id == 70005L ? "patient_app" : "personal_device",
                    "lastUpdated", "2025-04-01T00:00:00Z")).toList();
        }

        /** Practitioners sharing an organization with the user (a practitioner or a patient), by family name. */
        List<Map<String, Object>> practitioners(long user) {
            Long self = patientOfUser.get(user);
            Set<Long> orgs = self != null ? patientOrgs.get(self) : practitionerOrgs.getOrDefault(user, Set.of());
            // user → practitioner id, family, given, identifier (the original's demo practitioners)
            Map<Long, List<Object>> people = Map.of(10002L, List.of(80001L, "Mayer", "Mary", "fhir-222"),
                    10003L, List.of(80002L, "Moore", "Megan", "fhir-333"),
                    10004L, List.of(80003L, "Vance", "Victor", "fhir-444"),
                    10005L, List.of(80004L, "Tanaka", "Tom", "fhir-555"),
                    10008L, List.of(80005L, "Miller", "Mark", "fhir-888"),
                    10012L, List.of(80006L, "Pager", "Paige", ""));
            return people.entrySet().stream()
                    .filter(e -> practitionerOrgs.getOrDefault(e.getKey(), Set.of()).stream().anyMatch(orgs::contains))
                    .map(Map.Entry::getValue)
                    .sorted(Comparator.comparing(p -> (String) p.get(1)))
                    .<Map<String, Object>>map(p -> {
                        Map<String, Object> record = new LinkedHashMap<>();
                        record.put("id", p.get(0));
                        record.put("identifier", ((String) p.get(3)).isEmpty() ? null : p.get(3));
                        record.put("nameFamily", p.get(1));
                        record.put("nameGiven", p.get(2));
                        record.put("lastUpdated", "2025-05-01T00:00:00Z");
                        return record;
                    })
                    .toList();
        }

        Object codes() {
            return List.of(
                    Map.of("id", 50001, "system", OMH, "code", BG, "text", "Blood glucose"),
                    Map.of("id", 50002, "system", OMH, "code", BP, "text", "Blood pressure"),
                    Map.of("id", 50003, "system", OMH, "code", BT, "text", "Body temperature"),
                    Map.of("id", 50004, "system", OMH, "code", HR, "text", "Heart Rate"),
                    Map.of("id", 50005, "system", OMH, "code", O2, "text", "Oxygen saturation"),
                    Map.of("id", 50011, "system", "http://hl7.org/fhir/resource-types", "code", QR,
                            "text", "FHIR QuestionnaireResponse"));
        }

        private static Long id(Map<String, String> q, String name) {
            String value = q.get(name);
            return value == null ? null : Long.parseLong(value);
        }
    }
}
