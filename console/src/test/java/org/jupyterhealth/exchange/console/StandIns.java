package org.jupyterhealth.exchange.console;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.common.testing.StandInServer;
import org.jupyterhealth.exchange.common.testing.TestTokens;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Stand-ins for the services the console talks to, on one loopback server: identity-service's token endpoint and
 * JWKS (tokens signed by common's TestTokens), and the parts of the admin and FHIR APIs the pages read, with
 * Lifespan Lab's demo data. Every request is recorded, so that a test sees what the console sent and with which
 * token. {@link #role} is the signed-in user's role in Lifespan Lab.
 */
public class StandIns implements QuarkusTestResourceLifecycleManager {
    /** The access token the stand-in identity-service hands out: Mary's. */
    public static final String ACCESS_TOKEN = TestTokens.practitioner(10002, "manager_mary@example.com");
    public static final List<Seen> SEEN = new CopyOnWriteArrayList<>();
    /**
     * The changes the stand-in admin API carried out (answered with a 2xx): what a refused user must never reach.
     * An invitation link counts, as it creates an authorization code for the patient.
     */
    public static final List<Seen> APPLIED = new CopyOnWriteArrayList<>();
    public static volatile String role = "manager";
    public static volatile boolean adminDown;
    public static final String INVITATION_LINK = "https://app.example/launch?code=localhost%7Cb2K9xq&lang=en";
    /** Whether the admin API has a decision on Peter's blood pressure recorded (else a change of it is a 404). */
    public static volatile boolean consentRecorded = true;
    /** Who the admin API says is signed in: mary (a practitioner), peter (a patient) or admin (a superuser). */
    public static volatile String user = "mary";
    /** Whether the audit trail has no event yet. */
    public static volatile boolean auditEmpty;
    /** Whether the data source registry is empty. */
    public static volatile boolean dataSourcesEmpty;
    /**
     * How many heart rates patient 40003 has, one a minute from {@link #BULK_START}: the FHIR API pages them by
     * {@code _count} with an offset cursor, and {@code $series} names their one quantity.
     */
    public static volatile int bulkObservations = 2500;
    /** The cursor (offset) of patient 40003's page the FHIR API fails with a 500, or -1 for none. */
    public static volatile int bulkFailsAt = -1;
    public static final Instant BULK_START = Instant.parse("2024-06-01T00:00:00Z");
    /** The organization the admin API remembers as the user's current one. */
    public static volatile long currentOrganization = 20003;

    /** Peter's blood pressures in the FHIR API: time, systolic, diastolic. */
    static final List<String[]> BLOOD_PRESSURES = List.of(
            new String[] { "2024-05-01T08:00:00Z", "121", "79" },
            new String[] { "2024-05-01T12:30:00Z", "118", "76.5" },
            new String[] { "2024-05-01T20:15:00Z", "125", "82" },
            new String[] { "2024-05-02T23:59:59Z", "130", "85" },
            new String[] { "2024-05-03T08:00:00Z", "140", "90" });

    private static final String STUDY = "{\"id\":30001,\"name\":\"Lifespan Study on BP\",\"description\":"
            + "\"Blood pressure over a lifetime\",\"organization\":{\"id\":20003,\"name\":\"Lifespan Lab\","
            + "\"type\":\"laboratory\"},\"organizationId\":20003,\"iconUrl\":null}";

    /** A new account's activation link, as the admin API answers it where the exchange sends no e-mail. */
    public static final String ACTIVATION_LINK = "https://exchange.example/o/activate?token=ACT-one-time-4f9a";
    private static final String COMMONHEALTH = "{\"id\":2,\"name\":\"CommonHealth\",\"clientId\":\"commonhealth\","
            + "\"invitationUrl\":\"https://app.example/launch?code=CODE\"}";
    private static final String HTTPS_ONLY = "400:{\"detail\":\"invitationUrl: Only https URLs are allowed.\","
            + "\"errors\":{\"invitationUrl\":[\"Only https URLs are allowed.\"]}}";
    private static final String MARY_PRACTITIONER = "{\"id\":80001,\"jheUserId\":10002,\"nameFamily\":\"Mayer\","
            + "\"nameGiven\":\"Mary\",\"telecomEmail\":\"manager_mary@example.com\",\"organizations\":[{\"id\":"
            + "20003,\"name\":\"Lifespan Lab\",\"type\":\"laboratory\",\"partOf\":20002,\"currentUserRole\":"
            + "\"manager\"}]}";

    private HttpServer server;

    /** A request a stand-in received. */
    public record Seen(String method, String path, String query, String authorization, String body) {
    }

    @Override
    public Map<String, String> start() {
        server = StandInServer.open(4);
        byte[] jwks = JwksTestResource.jwks().getBytes(StandardCharsets.UTF_8);
        server.createContext("/o/.well-known/jwks.json", exchange -> {
            record(exchange);
            StandInServer.sendJson(exchange, 200, jwks);
        });
        server.createContext("/o/token/", exchange -> {
            record(exchange);
            String idToken = TestTokens.sign(TestTokens.claims(10002, "manager_mary@example.com", "practitioner", false)
                    .audience("jhe-console"));
            json(exchange, 200, "{\"access_token\":\"" + ACCESS_TOKEN + "\",\"token_type\":\"Bearer\","
                    + "\"expires_in\":3600,\"refresh_token\":\"refresh-1\",\"scope\":\"openid email read write\","
                    + "\"id_token\":\"" + idToken + "\"}");
        });
        server.createContext("/api/v1/", StandIns::admin);
        server.createContext("/fhir/r5/", exchange -> {
            Seen seen = record(exchange);
            if (seen.path().equals("/fhir/r5/AuditEvent")) {
                auditEvents(exchange, seen);
                return;
            }
            if (seen.query() != null && seen.query().contains("patient=40009")) {
                StandInServer.sendJson(exchange, 403, ("{\"resourceType\":\"OperationOutcome\",\"issue\":[{"
                        + "\"severity\":\"error\",\"code\":\"forbidden\"}]}").getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (seen.query() != null && seen.query().contains("patient=40003")) {
                bulk(exchange, seen);
                return;
            }
            if (seen.path().equals("/fhir/r5/Observation/$series")) {
                series(exchange, seen);
                return;
            }
            if (seen.query() != null && seen.query().contains("code=")) {
                observations(exchange, seen);
                return;
            }
            json(exchange, 200, "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"total\":2,\"entry\":[]}");
        });
        server.start();
        String url = StandInServer.url(server);
        return Map.of("quarkus.oidc.auth-server-url", url + "/o",
                "quarkus.rest-client.admin.url", url,
                "quarkus.rest-client.fhir.url", url);
    }

    @Override
    public void stop() {
        StandInServer.stop(server);
    }

    private static void admin(HttpExchange exchange) throws IOException {
        Seen seen = record(exchange);
        if (adminDown) {
            exchange.close();
            return;
        }
        String organization = "{\"id\":20003,\"name\":\"Lifespan Lab\",\"type\":\"laboratory\",\"partOf\":20002,"
                + "\"currentUserRole\":\"" + role + "\",\"children\":[]}";
        String answer = switch (seen.method() + " " + seen.path()) {
            case "GET /api/v1/users/profile" -> switch (user) {
                case "peter" -> "{\"id\":10006,\"patient\":{\"id\":40001,\"jheUserId\":10006,\"identifiers\":[],"
                        + "\"organizations\":[]},\"userType\":\"patient\",\"isSuperuser\":false}";
                case "admin" -> "{\"id\":10001,\"email\":\"admin@example.com\",\"firstName\":\"Ada\","
                        + "\"lastName\":\"Admin\",\"patient\":null,\"userType\":\"practitioner\",\"isSuperuser\":true,"
                        + "\"practitioner\":null}";
                default -> "{\"id\":10002,\"email\":\"manager_mary@example.com\","
                    + "\"firstName\":\"Mary\",\"lastName\":\"Mayer\",\"userType\":\"practitioner\","
                    + "\"isSuperuser\":false,\"settings\":{\"currentOrganizationId\":" + currentOrganization
                    + "},\"practitioner\":{\"id\":80001,\"organizations\":[]}}";
            };
            case "GET /api/v1/patients/me" -> "peter".equals(user) ? "{\"id\":40001,\"jheUserId\":10006,"
                    + "\"nameFamily\":\"Park\",\"nameGiven\":\"Peter\",\"birthDate\":\"1984-03-12\","
                    + "\"telecomEmail\":\"ll_patient_peter@example.com\"}" : null;
            case "GET /api/v1/users/organizations" -> "[" + organization + "]";
            case "GET /api/v1/organizations/20003", "GET /api/v1/organizations/20003/tree" -> organization;
            case "GET /api/v1/organizations/20003/users" -> "[{\"id\":10004,\"email\":\"viewer_victor@example.com\","
                    + "\"firstName\":\"Victor\",\"lastName\":\"Vance\",\"role\":\"viewer\"}]";
            case "DELETE /api/v1/organizations/20003/remove_user" -> "";
            case "POST /api/v1/organizations/20003/user" -> "{\"id\":7,\"role\":\"viewer\"}";
            // the apps are listed to anyone signed in, as admin-service does
            case "GET /api/v1/clients" -> "{\"count\":21,\"next\":null,\"previous\":null,"
                    + "\"results\":[{\"id\":2,\"name\":\"CommonHealth\",\"clientId\":\"commonhealth\","
                    + "\"invitationUrl\":\"https://app.example/launch?code=CODE\"},{\"id\":3,\"name\":\"Cardio Coach\","
                    + "\"clientId\":\"cardio-coach\",\"invitationUrl\":null}]}";
            // an app: read by anyone signed in, written by superusers only, as admin-service does
            case "GET /api/v1/clients/2" -> COMMONHEALTH;
            case "GET /api/v1/clients/3" -> "{\"id\":3,\"name\":\"Cardio Coach\",\"clientId\":\"cardio-coach\","
                    + "\"invitationUrl\":null}";
            case "POST /api/v1/clients" -> !"admin".equals(user) ? null
                    : seen.body().contains("\"clientId\":\"commonhealth\"")
                    ? "409:{\"detail\":\"This client id is already taken.\"}"
                    : seen.body().contains("http://") ? HTTPS_ONLY
                    : "{\"id\":4,\"name\":\"Cardio\",\"clientId\":\"cardio-app\",\"invitationUrl\":"
                            + "\"https://cardio.example/launch?code=CODE\"}";
            case "PATCH /api/v1/clients/2" -> !"admin".equals(user) ? null
                    : seen.body().contains("http://") ? HTTPS_ONLY : COMMONHEALTH;
            case "DELETE /api/v1/clients/2" -> "admin".equals(user) ? "" : null;
            case "DELETE /api/v1/clients/3" -> "admin".equals(user) ? "409:{\"detail\":\"This record is still "
                    + "referenced, or refers to a record that does not exist.\"}" : null;
            case "GET /api/v1/clients/2/data_sources" -> "[{\"id\":70001,\"name\":\"iHealth\",\"type\":"
                    + "\"personal_device\",\"supportedScopes\":[]}]";
            case "POST /api/v1/clients/2/data_sources" -> !"admin".equals(user) ? null
                    : seen.body().contains("70001") ? "409:{\"detail\":\"Data source 70001 is already linked to "
                            + "client 2.\"}" : "{\"id\":9,\"client_id\":2,\"data_source_id\":70002}";
            case "DELETE /api/v1/clients/2/data_sources" -> "admin".equals(user) ? "" : null;
            // practitioners: a superuser's only; a new account's activation link is in the answer when the exchange
            // sends no e-mail (here: for nomail@example.com)
            case "GET /api/v1/practitioners/80001" -> "admin".equals(user) ? MARY_PRACTITIONER : null;
            case "PATCH /api/v1/practitioners/80001" -> "admin".equals(user) ? MARY_PRACTITIONER : null;
            case "POST /api/v1/practitioners" -> !"admin".equals(user) ? null
                    : seen.body().contains("\"organizationId\":99999")
                    ? "400:{\"detail\":\"organizationId: Organization not found.\",\"errors\":{\"organizationId\":"
                            + "[\"Organization not found.\"]}}"
                    : seen.body().contains("nomail@example.com")
                    ? "{\"id\":80003,\"jheUserId\":10099,\"nameFamily\":null,\"nameGiven\":null,\"telecomEmail\":"
                            + "\"nomail@example.com\",\"organizations\":[],\"activationLink\":\"" + ACTIVATION_LINK
                            + "\",\"activationExpiresAt\":\"2024-05-08T10:00:00Z\"}"
                    : "{\"id\":80002,\"jheUserId\":10098,\"nameFamily\":\"New\",\"nameGiven\":\"Nina\","
                            + "\"telecomEmail\":\"nina@example.com\",\"organizations\":[],"
                            + "\"activationExpiresAt\":\"2024-05-08T10:00:00Z\"}";
            case "GET /api/v1/jhe_settings" -> "admin".equals(user) ? "{\"count\":1,\"next\":null,\"previous\":null,"
                    + "\"results\":[{\"id\":1,\"key\":\"site.url\",\"valueType\":\"string\",\"resolvedValue\":"
                    + "\"https://exchange.example\",\"lastUpdated\":\"2024-05-01T10:00:00Z\"}]}" : null;
            // settings: a superuser's only; the API reads a value by the setting's type and refuses one that is not
            case "GET /api/v1/jhe_settings/1", "PATCH /api/v1/jhe_settings/1" -> "admin".equals(user)
                    ? "{\"id\":1,\"key\":\"site.url\",\"valueType\":\"string\",\"resolvedValue\":"
                            + "\"https://exchange.example\",\"lastUpdated\":\"2024-05-01T10:00:00Z\"}" : null;
            case "GET /api/v1/jhe_settings/2" -> "admin".equals(user) ? "{\"id\":2,\"key\":\"invitation.max_age_days\","
                    + "\"valueType\":\"int\",\"resolvedValue\":7,\"lastUpdated\":\"2024-05-01T10:00:00Z\"}" : null;
            case "PATCH /api/v1/jhe_settings/2" -> !"admin".equals(user) ? null
                    : seen.body().contains("\"value\":\"nope\"") ? "400:{\"detail\":\"Not a valid int value.\","
                            + "\"errors\":{\"value\":[\"Not a valid int value.\"]}}"
                    : "{\"id\":2,\"key\":\"invitation.max_age_days\",\"valueType\":\"int\",\"resolvedValue\":14}";
            case "GET /api/v1/data_sources" -> dataSourcesEmpty
                    ? "{\"count\":0,\"next\":null,\"previous\":null,\"results\":[]}"
                    : "{\"count\":2,\"next\":null,\"previous\":null,\"results\":[{\"id\":70001,\"name\":\"iHealth\","
                            + "\"type\":\"personal_device\",\"supportedScopes\":[]},{\"id\":70002,\"name\":\"Withings\","
                            + "\"type\":\"personal_device\",\"supportedScopes\":[]}]}";
            case "POST /api/v1/data_sources" -> "admin".equals(user) ? "{\"id\":70003,\"name\":\"Oura\"}" : null;
            case "DELETE /api/v1/data_sources/70001" -> "409:{\"detail\":\"This record is still referenced, or "
                    + "refers to a record that does not exist.\"}";
            case "DELETE /api/v1/data_sources/70002" -> "admin".equals(user) ? "" : null;
            case "GET /api/v1/data_sources/all_scopes" -> "[{\"id\":50002,\"codingSystem\":\"https://w3id.org/openmhealth\","
                    + "\"codingCode\":\"omh:blood-pressure:4.0\",\"text\":\"Blood pressure\"},{\"id\":50005,"
                    + "\"codingSystem\":\"https://w3id.org/openmhealth\",\"codingCode\":\"omh:heart-rate:2.0\","
                    + "\"text\":\"Heart rate\"}]";
            // the study's writes: what is there already is the API's 409, anything else is done
            case "POST /api/v1/studies/30001/patients" -> seen.body().contains("40002")
                    ? "409:{\"detail\":\"Patient 40002 is already enrolled in study 30001.\"}"
                    : "{\"studyPatients\":[]}";
            case "POST /api/v1/studies/30001/scope_requests" -> seen.body().contains("50002")
                    ? "409:{\"detail\":\"Study 30001 already requests code 50002.\"}" : "{\"id\":9}";
            case "POST /api/v1/studies/30001/data_sources" -> seen.body().contains("70001")
                    ? "409:{\"detail\":\"Data source 70001 is already linked to study 30001.\"}" : "{\"id\":9}";
            case "POST /api/v1/studies/30001/clients" -> seen.body().contains("\"clientId\":2")
                    ? "409:{\"detail\":\"Client 2 is already linked to study 30001.\"}" : "{\"id\":9}";
            case "DELETE /api/v1/studies/30001/patients", "DELETE /api/v1/studies/30001/scope_requests",
                    "DELETE /api/v1/studies/30001/data_sources", "DELETE /api/v1/studies/30001/clients" -> "";
            case "POST /api/v1/patients" -> seen.body().contains("ll_patient_peter@example.com")
                    ? "400:{\"detail\":\"A patient with this email address already exists (patient 40001); add it "
                            + "to the organization instead.\",\"errors\":{\"telecomEmail\":[\"A patient with this email "
                            + "address already exists (patient 40001); add it to the organization instead.\"]}}"
                    : "{\"id\":40099,\"organizationId\":20003,\"telecomEmail\":\"new@example.com\"}";
            case "GET /api/v1/practitioners" -> "admin".equals(user) ? "{\"count\":1,\"next\":null,\"previous\":null,"
                    + "\"results\":[{\"id\":80001,\"jheUserId\":10002,\"nameFamily\":\"Mayer\",\"nameGiven\":\"Mary\","
                    + "\"telecomEmail\":\"manager_mary@example.com\",\"organizations\":[{\"id\":20003,\"name\":"
                    + "\"Lifespan Lab\"}]}]}" : null;
            case "GET /api/v1/users/search_by_email" -> switch (seen.query()) {
                case "email=manager_megan%40example.com", "email=manager_megan@example.com" -> "{\"id\":10003,"
                        + "\"email\":\"manager_megan@example.com\",\"userType\":\"practitioner\",\"isSuperuser\":false}";
                case "email=ll_patient_peter%40example.com", "email=ll_patient_peter@example.com" -> "{\"id\":10006,"
                        + "\"email\":\"ll_patient_peter@example.com\",\"userType\":\"patient\",\"isSuperuser\":false}";
                default -> "{}";
            };
            case "GET /api/v1/organizations/20003/studies" -> "[" + STUDY + "]";
            case "GET /api/v1/studies/30001" -> STUDY;
            case "GET /api/v1/studies/30001/scope_requests" -> "[{\"id\":1,\"study\":{\"id\":30001},\"scopeCode\":{"
                    + "\"id\":50002,\"codingSystem\":\"https://w3id.org/openmhealth\",\"codingCode\":"
                    + "\"omh:blood-pressure:4.0\",\"text\":\"Blood pressure\"}}]";
            case "GET /api/v1/studies/30001/data_sources" -> "[{\"id\":1,\"study\":{\"id\":30001},\"dataSource\":{"
                    + "\"id\":70001,\"name\":\"iHealth\",\"type\":\"personal_device\",\"lastUpdated\":null}}]";
            case "GET /api/v1/studies/30001/clients" -> "[{\"id\":1,\"study\":{\"id\":30001},\"client\":{\"id\":2,"
                    + "\"name\":\"CommonHealth\",\"clientId\":\"commonhealth\",\"invitationUrl\":null}}]";
            case "GET /api/v1/studies/30001/patients" -> "{\"count\":21,\"next\":null,\"previous\":null,\"results\":["
                    + "{\"id\":40001,\"nameFamily\":\"Park\",\"nameGiven\":\"Peter\",\"birthDate\":\"1984-03-12\"}]}";
            case "PATCH /api/v1/patients/40001/consents" -> consentRecorded ? "{\"studyScopeConsents\":[]}" : "404";
            case "POST /api/v1/patients/40001/consents" -> "{\"studyScopeConsents\":[]}";
            case "GET /api/v1/patients/40001/invitation_link" -> "{\"invitationLink\":\"" + INVITATION_LINK + "\"}";
            // the study's enrolment looks patients up by what was typed: nobody, two patients, or Peter
            case "GET /api/v1/patients" -> seen.query().contains("search=nobody")
                    ? "{\"count\":0,\"next\":null,\"previous\":null,\"results\":[]}"
                    : seen.query().contains("search=Pamela")
                    ? "{\"count\":1,\"next\":null,\"previous\":null,\"results\":[{\"id\":40002,\"nameFamily\":"
                            + "\"Pan\",\"nameGiven\":\"Pamela\",\"telecomEmail\":\"ll_patient_pamela@example.com\"}]}"
                    : seen.query().contains("search=Pa&") || seen.query().endsWith("search=Pa")
                    ? "{\"count\":2,\"next\":null,\"previous\":null,\"results\":[{\"id\":40001,\"nameFamily\":"
                            + "\"Park\",\"nameGiven\":\"Peter\",\"telecomEmail\":\"ll_patient_peter@example.com\"},"
                            + "{\"id\":40002,\"nameFamily\":\"Pan\",\"nameGiven\":\"Pamela\",\"telecomEmail\":"
                            + "\"ll_patient_pamela@example.com\"}]}"
                    : "{\"count\":41,\"next\":null,\"previous\":null,\"results\":[{\"id\":40001,"
                    + "\"nameFamily\":\"Park\",\"nameGiven\":\"Peter\",\"birthDate\":\"1984-03-12\","
                    + "\"telecomEmail\":\"ll_patient_peter@example.com\",\"identifier\":\"abc123\"}]}";
            case "GET /api/v1/patients/40001" -> "{\"id\":40001,\"organizationId\":20003,\"nameFamily\":\"Park\",\"nameGiven\":\"Peter\","
                    + "\"birthDate\":\"1984-03-12\",\"telecomEmail\":\"ll_patient_peter@example.com\"}";
            // a superuser is not a member of Lifespan Lab: the admin API refuses it the consents
            case "GET /api/v1/patients/40001/consents" -> "admin".equals(user) ? null : "{\"consolidatedConsentedScopes\":[],"
                    + "\"studiesPendingConsent\":[],\"studies\":[{\"id\":30001,\"name\":\"Lifespan Study on BP\","
                    + "\"organization\":{\"id\":20003,\"name\":\"Lifespan Lab\"},\"scopeConsents\":[{\"code\":{"
                    + "\"id\":50002,\"codingSystem\":\"https://w3id.org/openmhealth\",\"codingCode\":\"omh:blood-pressure:4.0\",\"text\":\"Blood pressure\"},"
                    + "\"consented\":true,\"consentedTime\":\"2024-05-01T10:30:00Z\"}]}]}";
            default -> null;
        };
        boolean change = !seen.method().equals("GET") || seen.path().endsWith("/invitation_link");
        if (change && "mary".equals(user) && "viewer".equals(role)) {
            answer = null; // as admin-service, which refuses a viewer every change (403)
        }
        if (change && answer != null && !answer.matches("4[0-9][0-9]:.*") && !"404".equals(answer)) {
            APPLIED.add(seen);
        }
        if (answer != null && answer.matches("4[0-9][0-9]:.*")) {
            json(exchange, Integer.parseInt(answer.substring(0, 3)), answer.substring(4));
        } else if ("404".equals(answer)) {
            json(exchange, 404, "{\"detail\":\"No consent for omh:blood-pressure:4.0 in study 30001 is recorded yet; use POST.\"}");
        } else if (answer == null) {
            json(exchange, 403, "{\"detail\":\"You do not have permission to perform this action.\"}");
        } else if (answer.isEmpty()) {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        } else {
            json(exchange, 200, answer);
        }
    }

    private static Map<String, List<String>> query(Seen seen) {
        Map<String, List<String>> query = new java.util.HashMap<>();
        for (String pair : seen.query().split("&")) {
            String[] kv = pair.split("=", 2);
            query.computeIfAbsent(kv[0], k -> new java.util.ArrayList<>())
                    .add(java.net.URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
        }
        return query;
    }

    /**
     * Patient 40003's heart rates, one a minute, oldest first: {@code $series} in one bucket (the CSV's columns), or
     * a page of {@code _count} of them after the cursor's offset, with a next link while more remain.
     */
    private static void bulk(HttpExchange exchange, Seen seen) throws IOException {
        Map<String, List<String>> query = query(seen);
        int total = bulkObservations;
        if (seen.path().equals("/fhir/r5/Observation/$series")) {
            json(exchange, 200, "{\"count\":" + total + ",\"buckets\":1,\"t\":[" + BULK_START.getEpochSecond()
                    + "],\"n\":[" + total + "],\"series\":[{\"name\":\"heart_rate\",\"unit\":\"beats/min\","
                    + "\"mean\":[70],\"min\":[60],\"max\":[80]}]}");
            return;
        }
        int count = Integer.parseInt(query.get("_count").get(0));
        int offset = query.containsKey("_cursor") ? Integer.parseInt(query.get("_cursor").get(0)) : 0;
        if (offset == bulkFailsAt) {
            StandInServer.sendJson(exchange, 500, ("{\"resourceType\":\"OperationOutcome\",\"issue\":[{"
                    + "\"severity\":\"error\",\"code\":\"exception\"}]}").getBytes(StandardCharsets.UTF_8));
            return;
        }
        StringBuilder page = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"link\":[");
        if (offset + count < total) {
            page.append("{\"relation\":\"next\",\"url\":\"http://fhir.example/fhir/r5/Observation?patient=40003"
                    + "&_cursor=").append(offset + count).append("\"}");
        }
        page.append("],\"entry\":[");
        for (int i = offset; i < Math.min(offset + count, total); i++) {
            String time = BULK_START.plusSeconds(60L * i).toString();
            String omh = "{\"header\":{\"uuid\":\"x\"},\"body\":{\"heart_rate\":{\"value\":" + (60 + i % 40)
                    + ",\"unit\":\"beats/min\"},\"effective_time_frame\":{\"date_time\":\"" + time + "\"}}}";
            page.append(i > offset ? "," : "").append("{\"resource\":{\"resourceType\":\"Observation\",\"id\":\"")
                    .append(i).append("\",\"effectiveDateTime\":\"").append(time)
                    .append("\",\"valueAttachment\":{\"contentType\":\"application/json\",\"data\":\"")
                    .append(Base64.getEncoder().encodeToString(omh.getBytes(StandardCharsets.UTF_8)))
                    .append("\"}}}");
        }
        json(exchange, 200, page.append("]}").toString());
    }

    /**
     * Peter's blood pressures as the FHIR API's {@code Observation/$series} answers: in {@code _buckets} equal
     * buckets of the date range, per bucket holding observations its mean time and count, and per quantity the
     * mean, least and greatest value.
     */
    private static void series(HttpExchange exchange, Seen seen) throws IOException {
        Map<String, List<String>> query = query(seen);
        Instant from = null;
        Instant to = null;
        for (String date : query.getOrDefault("date", List.of())) {
            if (date.startsWith("ge")) {
                from = Instant.parse(date.substring(2));
            } else if (date.startsWith("lt")) {
                to = Instant.parse(date.substring(2));
            }
        }
        int buckets = Integer.parseInt(query.get("_buckets").get(0));
        java.util.TreeMap<Long, List<String[]>> byBucket = new java.util.TreeMap<>();
        if (query.getOrDefault("patient", List.of()).contains("40001")
                && query.getOrDefault("code", List.of()).contains("omh:blood-pressure:4.0")) {
            for (String[] point : BLOOD_PRESSURES) {
                Instant at = Instant.parse(point[0]);
                if (!at.isBefore(from) && at.isBefore(to)) {
                    long bucket = (at.getEpochSecond() - from.getEpochSecond()) * buckets
                            / (to.getEpochSecond() - from.getEpochSecond());
                    byBucket.computeIfAbsent(bucket, b -> new java.util.ArrayList<>()).add(point);
                }
            }
        }
        StringBuilder t = new StringBuilder();
        StringBuilder n = new StringBuilder();
        StringBuilder[][] columns = new StringBuilder[2][3];
        for (StringBuilder[] quantity : columns) {
            for (int i = 0; i < 3; i++) {
                quantity[i] = new StringBuilder();
            }
        }
        long count = 0;
        for (List<String[]> points : byBucket.values()) {
            String comma = t.isEmpty() ? "" : ",";
            t.append(comma).append(points.stream().mapToLong(p -> Instant.parse(p[0]).getEpochSecond()).average()
                    .orElseThrow());
            n.append(comma).append(points.size());
            count += points.size();
            for (int q = 0; q < 2; q++) {
                int column = q + 1;
                var values = points.stream().mapToDouble(p -> Double.parseDouble(p[column])).summaryStatistics();
                columns[q][0].append(comma).append(values.getAverage());
                columns[q][1].append(comma).append(values.getMin());
                columns[q][2].append(comma).append(values.getMax());
            }
        }
        StringBuilder answer = new StringBuilder("{\"count\":" + count + ",\"buckets\":" + buckets + ",\"t\":[" + t
                + "],\"n\":[" + n + "],\"series\":[");
        if (count > 0) {
            String[] names = { "systolic_blood_pressure", "diastolic_blood_pressure" };
            // in one bucket (a CSV's columns), by name as the API orders them: diastolic first
            for (int i = 0; i < 2; i++) {
                int q = buckets == 1 ? 1 - i : i;
                answer.append(i > 0 ? "," : "").append("{\"name\":\"").append(names[q])
                        .append("\",\"unit\":\"mmHg\",\"mean\":[").append(columns[q][0]).append("],\"min\":[")
                        .append(columns[q][1]).append("],\"max\":[").append(columns[q][2]).append("]}");
            }
        }
        json(exchange, 200, answer.append("]}").toString());
    }

    /**
     * Peter's blood pressures, as the FHIR API answers a search by code and date range: two per page, oldest first
     * (newest first when sorted by {@code -date}),
     * with a next link (on another host, as the API writes its own address) holding the cursor: the offset.
     */
    private static void observations(HttpExchange exchange, Seen seen) throws IOException {
        Map<String, List<String>> query = new java.util.HashMap<>();
        for (String pair : seen.query().split("&")) {
            String[] kv = pair.split("=", 2);
            query.computeIfAbsent(kv[0], k -> new java.util.ArrayList<>())
                    .add(java.net.URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
        }
        Instant from = Instant.MIN;
        Instant to = Instant.MAX;
        for (String date : query.getOrDefault("date", List.of())) {
            if (date.startsWith("ge")) {
                from = Instant.parse(date.substring(2));
            } else if (date.startsWith("lt")) {
                to = Instant.parse(date.substring(2));
            }
        }
        List<String[]> matching = new java.util.ArrayList<>();
        if (query.getOrDefault("patient", List.of()).contains("40001")
                && query.getOrDefault("code", List.of()).contains("omh:blood-pressure:4.0")) {
            for (String[] point : BLOOD_PRESSURES) {
                Instant at = Instant.parse(point[0]);
                if (!at.isBefore(from) && at.isBefore(to)) {
                    matching.add(point);
                }
            }
        }
        if (query.getOrDefault("_sort", List.of()).contains("-date")) {
            java.util.Collections.reverse(matching);
        }
        int offset = query.containsKey("_cursor") ? Integer.parseInt(query.get("_cursor").get(0).replace("=", ""))
                : 0;
        StringBuilder page = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"link\":["
                + "{\"relation\":\"self\",\"url\":\"http://fhir.example/fhir/r5/Observation\"}");
        if (offset + 2 < matching.size()) {
            page.append(",{\"relation\":\"next\",\"url\":\"http://fhir.example/fhir/r5/Observation?patient=40001"
                    + "&_cursor=").append(offset + 2).append("%3D\"}");
        }
        page.append("],\"entry\":[");
        for (int i = offset; i < Math.min(offset + 2, matching.size()); i++) {
            String[] point = matching.get(i);
            String omh = "{\"header\":{\"uuid\":\"x\"},\"body\":{\"systolic_blood_pressure\":{\"value\":" + point[1]
                    + ",\"unit\":\"mmHg\"},\"diastolic_blood_pressure\":{\"value\":" + point[2]
                    + ",\"unit\":\"mmHg\"},\"effective_time_frame\":{\"date_time\":\"" + point[0] + "\"}}}";
            page.append(i > offset ? "," : "").append("{\"fullUrl\":\"http://fhir.example/fhir/r5/Observation/")
                    .append(70000 + i).append("\",\"resource\":{\"resourceType\":\"Observation\",\"id\":\"")
                    .append(70000 + i).append("\",\"status\":\"final\",\"effectiveDateTime\":\"").append(point[0])
                    .append("\",\"valueAttachment\":{\"contentType\":\"application/json\",\"data\":\"")
                    .append(Base64.getEncoder().encodeToString(omh.getBytes(StandardCharsets.UTF_8)))
                    .append("\"}},\"search\":{\"mode\":\"match\"}}");
        }
        page.append("]}");
        json(exchange, 200, page.toString());
    }

    /**
     * The audit trail as the FHIR API answers: a practitioner is refused; a patient's and a superuser's first page
     * holds two events and a next link, the page after it one older event. Only a superuser's events carry the
     * address the access came from.
     */
    private static void auditEvents(HttpExchange exchange, Seen seen) throws IOException {
        if ("mary".equals(user)) {
            StandInServer.sendJson(exchange, 403, ("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":"
                    + "\"error\",\"code\":\"forbidden\"}]}").getBytes(StandardCharsets.UTF_8));
            return;
        }
        String network = "admin".equals(user) ? ",\"networkString\":\"203.0.113.9\"" : "";
        String read = "{\"resource\":{\"resourceType\":\"AuditEvent\",\"id\":\"e1\",\"code\":{\"coding\":[{\"code\":\"read\"}]},"
                + "\"recorded\":\"2024-05-03T09:15:00.000Z\",\"outcome\":{\"code\":{\"code\":\"0\"},\"detail\":[{\"text\":"
                + "\"HTTP 200 (success)\"}]},\"agent\":[{\"type\":{\"coding\":[{\"code\":\"AUT\"}]},\"role\":[{\"text\":"
                + "\"practitioner\"}],\"who\":{\"identifier\":{\"value\":\"10002\"}}" + network + "},{\"type\":{\"coding\":"
                + "[{\"code\":\"DEV\"}]},\"who\":{\"identifier\":{\"value\":\"jhe-console\"}}}],\"source\":{\"observer\":"
                + "{\"display\":\"fhir-service\"}},\"entity\":[{\"what\":{\"reference\":\"Observation/60001\"},\"role\":"
                + "{\"coding\":[{\"code\":\"4\"}]}},{\"what\":{\"reference\":\"Patient/40001\"},\"role\":{\"coding\":"
                + "[{\"code\":\"1\"}]}}]}}";
        String refused = "{\"resource\":{\"resourceType\":\"AuditEvent\",\"id\":\"e2\",\"code\":{\"coding\":[{\"code\":"
                + "\"search\"}]},\"recorded\":\"2024-05-02T18:00:00Z\",\"outcome\":{\"code\":{\"code\":\"4\"},\"detail\":"
                + "[{\"text\":\"HTTP 403 (refused)\"}]},\"agent\":[{\"type\":{\"coding\":[{\"code\":\"AUT\"}]},\"role\":"
                + "[{\"text\":\"practitioner\"}],\"who\":{\"identifier\":{\"value\":\"10004\"}}" + network + "},{\"type\":"
                + "{\"coding\":[{\"code\":\"DEV\"}]},\"who\":{\"identifier\":{\"value\":\"carex\"}}}],\"entity\":[{\"role\":"
                + "{\"coding\":[{\"code\":\"24\"}]},\"what\":{\"display\":\"Observation\"},\"detail\":[{\"type\":{\"text\":"
                + "\"count\"},\"valueInteger\":0}]}]}}";
        String older = "{\"resource\":{\"resourceType\":\"AuditEvent\",\"id\":\"e3\",\"code\":{\"coding\":[{\"code\":"
                + "\"consent\"}]},\"recorded\":\"2024-05-01T10:30:00Z\",\"outcome\":{\"code\":{\"code\":\"0\"}},\"agent\":"
                + "[{\"type\":{\"coding\":[{\"code\":\"AUT\"}]},\"role\":[{\"text\":\"patient\"}],\"who\":{\"identifier\":"
                + "{\"value\":\"10006\"}}}]}}";
        String page;
        if (auditEmpty) {
            page = "";
        } else if (seen.query() != null && seen.query().contains("_cursor=")) {
            page = older;
        } else {
            page = read + "," + refused;
        }
        String next = page.contains("\"e2\"") ? ",{\"relation\":\"next\",\"url\":\"http://fhir.example/fhir/r5/AuditEvent?"
                + "_count=20&_cursor=MTcxNDY3MjgwMDAwMF9lMg\"}" : "";
        json(exchange, 200, "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"link\":[{\"relation\":\"self\","
                + "\"url\":\"http://fhir.example/fhir/r5/AuditEvent\"}" + next + "],\"entry\":[" + page + "]}");
    }

    private static Seen record(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Seen seen = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Authorization"), body);
        SEEN.add(seen);
        return seen;
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        StandInServer.sendJson(exchange, status, body.getBytes(StandardCharsets.UTF_8));
    }
}
