package org.jupyterhealth.exchange.systemtests;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.jupyterhealth.exchange.systemtests.BadInputs.Fragment;
import org.jupyterhealth.exchange.systemtests.BadInputs.Input;
import org.jupyterhealth.exchange.systemtests.Probe.Expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Probes of the FHIR API on both bases: search on every resource type with every search parameter its
 * CapabilityStatement lists (read at test time), read by id, the upload status, and uploads (batch and transaction
 * Bundles to {@code /fhir/r5/} and {@code /FHIR/R5}, one Observation to {@code /fhir/r5/Observation}) with a
 * malformed envelope or one bad field in an otherwise valid entry of Peter's heart rate.
 */
final class FhirProbes {
    /** Parameters every search takes besides the type's own. */
    static final List<String> COMMON_PARAMETERS = List.of("_count", "_sort", "_summary", "_total", "_page",
            "_cursor", "_format", "_elements", "_include");
    static final String UPLOADER = "patient";
    static final long PATIENT = 40001;

    private final JsonNode capabilities;
    private final List<String> personas;
    private final Map<String, String> validIds;
    private final Random random = new Random(15);

    /**
     * @param capabilities the CapabilityStatement of {@code /fhir/r5/metadata}
     * @param personas the personas, in the order searches rotate through them
     * @param validIds a readable resource's id by type (Observation, Patient...)
     */
    FhirProbes(JsonNode capabilities, List<String> personas, Map<String, String> validIds) {
        this.capabilities = capabilities;
        this.personas = personas;
        this.validIds = validIds;
    }

    /**
     * The operations of the OpenAPI document these probes cover (the others are walked like the admin API's): the
     * FHIR resource store's paths by {@code {type}} too, whose types these probes take from the CapabilityStatement.
     */
    static boolean covers(String method, String path) {
        return path.startsWith("/fhir/r5/") && (method.equals("GET") && !path.contains("{") || method.equals("POST")
                || path.startsWith("/fhir/r5/{type}") || path.matches("/fhir/r5/[A-Za-z]+/\\{id}"));
    }

    /** Searches and reads (nothing is written). */
    List<Probe> reads() {
        List<Probe> probes = new ArrayList<>();
        int rotation = 0;
        List<Input> values = OpenApiProbes.queryValues();
        for (JsonNode resource : capabilities.path("rest").path(0).path("resource")) {
            String type = resource.path("type").asText();
            List<String> interactions = new ArrayList<>();
            resource.path("interaction").forEach(i -> interactions.add(i.path("code").asText()));
            if (interactions.contains("search-type")) {
                List<String> parameters = new ArrayList<>();
                List<String> dates = new ArrayList<>();
                for (JsonNode parameter : resource.path("searchParam")) {
                    parameters.add(parameter.path("name").asText());
                    if ("date".equals(parameter.path("type").asText())) {
                        dates.add(parameter.path("name").asText());
                    }
                }
                parameters.addAll(COMMON_PARAMETERS);
                for (int p = 0; p < parameters.size(); p++) {
                    for (int k = 0; k < values.size(); k++) {
                        boolean common = COMMON_PARAMETERS.contains(parameters.get(p));
                        if (common && (p + k) % 2 == 1) {
                            continue;
                        }
                        Input value = values.get(k);
                        String base = base(rotation);
                        probes.add(get("search " + type + " " + parameters.get(p) + ": " + value.name(),
                                personas.get(rotation++ % personas.size()),
                                base + "/" + type + "?" + BadInputs.urlEncoded(parameters.get(p)) + "=" + value.value(),
                                Expect.ANY, BadInputs.echoes(value)));
                    }
                }
                for (String date : dates) {
                    for (Input bad : BadInputs.DATES) {
                        for (String prefix : List.of("", "ge", "xx")) {
                            probes.add(get("search " + type + " " + date + ": " + prefix + " " + bad.name(),
                                    personas.get(rotation++ % personas.size()), base(rotation) + "/" + type + "?"
                                            + date + "=" + prefix + BadInputs.urlEncoded(bad.value()),
                                    Expect.REJECTED, List.of(bad.value())));
                        }
                    }
                }
                for (String count : List.of("-1", "0", "1001", "99999999999999999999", "abc", "1e3")) {
                    probes.add(get("search " + type + " _count=" + count, personas.get(rotation++ % personas.size()),
                            base(rotation) + "/" + type + "?_count=" + count, Expect.ANY, List.of(count)));
                }
                Map<String, String> strict = new LinkedHashMap<>();
                strict.put("Prefer", "handling=strict");
                probes.add(new Probe("strict search with an unknown parameter", personas.get(0), "GET",
                        "/fhir/r5/" + type + "?no-such-parameter=1", strict, null, false, Expect.REJECTED, List.of()));
                // the same parameters as a form (POST [type]/_search)
                for (Input value : values) {
                    Map<String, String> form = new LinkedHashMap<>();
                    form.put("Content-Type", "application/x-www-form-urlencoded");
                    String parameter = parameters.get(0);
                    byte[] body = (parameter + "=" + value.value()).getBytes(StandardCharsets.ISO_8859_1);
                    probes.add(new Probe("_search form " + type + " " + parameter + ": " + value.name(),
                            personas.get(rotation++ % personas.size()), "POST",
                            base(rotation) + "/" + type + "/_search", form, body, false, Expect.ANY,
                            BadInputs.echoes(value)));
                }
                for (String contentType : List.of("application/json", "text/plain")) {
                    Map<String, String> headers = new LinkedHashMap<>();
                    headers.put("Content-Type", contentType);
                    probes.add(new Probe("_search with content type " + contentType, personas.get(0), "POST",
                            "/fhir/r5/" + type + "/_search", headers, "{\"_id\": [1]}".getBytes(StandardCharsets.UTF_8),
                            false, Expect.ANY, List.of()));
                }
            }
            if (interactions.contains("read")) {
                List<Input> ids = new ArrayList<>(BadInputs.IDS);
                String valid = validIds.getOrDefault(type, "1");
                ids.add(new Input("matrix parameter on a real id", valid + ";x", true));
                for (Input id : ids) {
                    probes.add(get("read " + type + ": " + id.name(), personas.get(rotation++ % personas.size()),
                            base(rotation) + "/" + type + "/" + id.value(),
                            id.rejected() ? Expect.REJECTED : Expect.ANY, List.of(id.value())));
                }
            }
        }
        for (Input id : BadInputs.IDS) {
            probes.add(get("upload status: " + id.name(), UPLOADER, base(rotation++) + "/_upload/" + id.value(),
                    id.rejected() ? Expect.REJECTED : Expect.ANY, List.of(id.value())));
        }
        probes.add(get("upload status of a random upload id", UPLOADER, "/fhir/r5/_upload/" + uuid(), Expect.REJECTED,
                List.of()));
        for (String path : List.of("/metadata", "/.well-known/smart-configuration")) {
            for (Input value : values) {
                probes.add(get("discovery " + path + ": " + value.name(), null,
                        base(rotation++) + path + "?_format=" + value.value(), Expect.ANY, BadInputs.echoes(value)));
            }
        }
        return probes;
    }

    /** Uploads: a malformed envelope, or one bad value in Peter's otherwise valid heart-rate entry. */
    List<Probe> uploads() {
        List<Probe> probes = new ArrayList<>();
        int n = 0;
        for (Fragment malformed : BadInputs.MALFORMED_JSON) {
            probes.add(upload("bundle: " + malformed.name(), UPLOADER, n++, malformed.bytes(), Expect.REJECTED));
        }
        for (String contentType : BadInputs.WRONG_CONTENT_TYPES) {
            boolean refused = !contentType.startsWith("application/json");
            Probe probe = upload("bundle with content type " + contentType, UPLOADER, n++, bundle(entry()),
                    refused ? Expect.REJECTED : Expect.ANY);
            probe.headers().put("Content-Type", contentType);
            probes.add(probe);
        }
        for (Fragment whole : List.of(Fragment.of("array body", "[]", true), Fragment.of("null body", "null", true),
                Fragment.of("empty body", "", true), Fragment.of("empty object", "{}", true))) {
            probes.add(upload("bundle: " + whole.name(), UPLOADER, n++, whole.bytes(), Expect.REJECTED));
        }

        // the envelope
        bundleField(probes, List.of("resourceType"), textFragments(true), Expect.REJECTED, n);
        n += 40;
        bundleField(probes, List.of("type"), textFragments(true), Expect.REJECTED, n);
        n += 40;
        bundleField(probes, List.of("entry"), List.of(Fragment.of("object for entry", "{}", true),
                Fragment.of("text for entry", "\"x\"", true), Fragment.of("number for entry", "1", true),
                Fragment.of("10,000 nested arrays", BadInputs.deepArrays(10_000), true)), Expect.REJECTED, n);
        n += 10;
        StringBuilder tooMany = new StringBuilder("[");
        for (int i = 0; i < 1001; i++) {
            tooMany.append(i == 0 ? "" : ",").append(entry());
        }
        probes.add(upload("1,001 entries", UPLOADER, n++, replaceInBundle(List.of("entry"),
                tooMany.append(']').toString().getBytes(StandardCharsets.UTF_8)), Expect.REJECTED));
        bundleField(probes, List.of("entry", 0), List.of(Fragment.of("null entry", "null", true),
                Fragment.of("text entry", "\"x\"", true), Fragment.of("array entry", "[]", true),
                Fragment.of("empty entry", "{}", true)), Expect.ENTRY_REJECTED, n);
        n += 10;
        bundleField(probes, List.of("entry", 0, "resource"), List.of(Fragment.of("null resource", "null", true),
                Fragment.of("text resource", "\"x\"", true), Fragment.of("empty resource", "{}", true),
                Fragment.of("a Patient", "{\"resourceType\": \"Patient\", \"id\": \"40001\"}", true)),
                Expect.ENTRY_REJECTED, n);
        n += 10;
        bundleField(probes, List.of("entry", 0, "request", "method"), withTexts(true, "DELETE", "GET", "PUT"),
                Expect.ENTRY_REJECTED, n);
        n += 40;
        bundleField(probes, List.of("entry", 0, "request", "url"), withTexts(true, "Patient", "Observation/60001",
                "../../internal/accounts"), Expect.ENTRY_REJECTED, n);
        n += 40;

        // the Observation, in a batch entry and alone
        for (boolean alone : List.of(false, true)) {
            List<Object> at = alone ? List.of() : List.of("entry", 0, "resource");
            observationField(probes, alone, at, "resourceType", withTexts(true, "Patient"), n);
            n += 40;
            observationField(probes, alone, at, List.of("subject", "reference"), withTexts(true, "Patient/abc",
                    "Patient/-1", "Patient/99999999999999999999", "Patient/40001;x", "Patient/40002",
                    "http://evil.example/Patient/40001", "Patient/40001/../40002"), n);
            n += 40;
            observationField(probes, alone, at, List.of("code", "coding", 0, "code"),
                    withHuge(textFragments(true), true), n);
            n += 40;
            observationField(probes, alone, at, List.of("code", "coding", 0, "system"), textFragments(true), n);
            n += 40;
            observationField(probes, alone, at, List.of("identifier", 0, "value"),
                    withHuge(textFragments(false), false), n);
            n += 40;
            observationField(probes, alone, at, List.of("identifier", 0, "system"), textFragments(false), n);
            n += 40;
            observationField(probes, alone, at, List.of("device", "reference"), withTexts(true, "Device/abc",
                    "Device/-1", "Device/99999999999999999999"), n);
            n += 40;
            observationField(probes, alone, at, "status", withTexts(true, "bogus"), n);
            n += 40;
            List<Fragment> data = new ArrayList<>();
            for (Input input : BadInputs.BASE64) {
                data.add(Fragment.of(input.name(), BadInputs.jsonString(input.value()), true));
            }
            for (Map.Entry<String, String> dataPoint : impossibleDataPoints().entrySet()) {
                data.add(Fragment.of(dataPoint.getKey(), BadInputs.jsonString(Base64.getEncoder().encodeToString(
                        dataPoint.getValue().getBytes(StandardCharsets.UTF_8))), true));
            }
            observationField(probes, alone, at, List.of("valueAttachment", "data"), data, n);
            n += 40;
            observationField(probes, alone, at, List.of("valueAttachment", "contentType"), withTexts(false,
                    "text/plain"), n);
            n += 40;
        }

        // as the other personas: a practitioner of Peter's organization may upload for him, a viewer may not
        for (String persona : personas) {
            if (!persona.equals(UPLOADER)) {
                probes.add(upload("upload for Peter as " + persona, persona, n++, bundle(entry()), Expect.ANY));
            }
        }
        return probes;
    }

    /**
     * Replacing, patching and deleting by id: every malformed id on every type that takes these interactions, and
     * malformed bodies, content types and versions against {@code stored}, a resource of the FHIR resource store
     * that {@code persona} (its patient) wrote through {@code source}. No probe deletes a real id, and none may
     * change {@code stored} (the test checks its version after).
     *
     * @param stored the id of a QuestionnaireResponse of the store ({@link #replacement} is one)
     */
    List<Probe> storeWrites(String persona, String stored, long source) {
        List<Probe> probes = new ArrayList<>();
        int rotation = 0;
        for (JsonNode resource : capabilities.path("rest").path(0).path("resource")) {
            String type = resource.path("type").asText();
            List<String> interactions = new ArrayList<>();
            resource.path("interaction").forEach(i -> interactions.add(i.path("code").asText()));
            for (Input id : BadInputs.IDS) {
                // one method per id, in turn: 19 ids to 3 methods, so the method an id meets shifts by type
                String method = List.of("PUT", "PATCH", "DELETE").get(rotation % 3);
                String interaction = switch (method) {
                    case "PUT" -> "update";
                    case "PATCH" -> "patch";
                    default -> "delete";
                };
                if (!interactions.contains(interaction)) {
                    rotation++;
                    continue;
                }
                Map<String, String> headers = writeHeaders(method, source);
                byte[] body = switch (method) {
                    case "PUT" -> ("{\"resourceType\":\"" + type + "\",\"id\":\"" + id.value() + "\"}")
                            .getBytes(StandardCharsets.UTF_8);
                    case "PATCH" -> REPLACE_STATUS;
                    default -> null;
                };
                probes.add(new Probe(method + " " + type + ": " + id.name(), personas.get(rotation++
                        % personas.size()), method, base(rotation) + "/" + type + "/" + id.value(), headers, body,
                        false, id.rejected() ? Expect.REJECTED : Expect.ANY, List.of(id.value())));
            }
            if (interactions.contains("delete")) {
                // a well-formed id nobody wrote: nothing to delete, and nothing else is touched
                probes.add(new Probe("DELETE " + type + ": an unknown UUID", persona, "DELETE", "/fhir/r5/" + type
                        + "/" + uuid(), new LinkedHashMap<>(), null, false, Expect.ANY, List.of()));
            }
        }
        String target = "/fhir/r5/" + STORED_TYPE + "/" + stored;
        for (Fragment malformed : BadInputs.MALFORMED_JSON) {
            for (String method : List.of("PUT", "PATCH")) {
                probes.add(new Probe(method + " " + STORED_TYPE + " with a body: " + malformed.name(), persona, method,
                        target, writeHeaders(method, source), malformed.bytes(), false, Expect.REJECTED, List.of()));
            }
        }
        for (String contentType : BadInputs.WRONG_CONTENT_TYPES) {
            if (contentType.startsWith("application/json")) {
                continue; // a JSON charset the server may well read: a valid PUT would then change the resource
            }
            for (String method : List.of("PUT", "PATCH")) {
                Map<String, String> headers = writeHeaders(method, source);
                headers.put("Content-Type", contentType);
                byte[] body = method.equals("PUT") ? replacement(STORED_TYPE, stored) : REPLACE_STATUS;
                probes.add(new Probe(method + " " + STORED_TYPE + " with content type " + contentType, persona,
                        method, target, headers, body, false, Expect.REJECTED, List.of()));
            }
        }
        // the store's PATCH is a JSON merge patch (an object of top-level elements)
        Map<String, String> patches = new LinkedHashMap<>();
        patches.put("a JSON Patch array", "[{\"op\":\"replace\",\"path\":\"/status\",\"value\":\"amended\"}]");
        patches.put("null", "null");
        patches.put("a text", "\"amended\"");
        patches.put("an invalid status", "{\"status\":\"bogus\"}");
        patches.put("no status (required)", "{\"status\":null}");
        patches.put("another resource type", "{\"resourceType\":\"Patient\"}");
        patches.put("another id", "{\"id\":\"" + uuid() + "\"}");
        patches.put("a NUL in a value", "{\"status\":\"a\\u0000b\"}");
        patches.put("an unknown element", "{\"noSuchElement\":1}");
        patches.put("an item of the wrong shape", "{\"item\":{\"linkId\":1}}");
        patches.forEach((name, patch) -> probes.add(new Probe("PATCH " + STORED_TYPE + ": " + name, persona, "PATCH",
                target, writeHeaders("PATCH", source), patch.getBytes(StandardCharsets.UTF_8), false, Expect.REJECTED,
                List.of())));
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("another resource type", "{\"resourceType\":\"Patient\",\"id\":\"" + stored + "\"}");
        bodies.put("another id", new String(replacement(STORED_TYPE, uuid()), StandardCharsets.UTF_8));
        // (without an id the body is the URL's: a valid replacement, not probed here)
        bodies.put("an invalid status", new String(replacement(STORED_TYPE, stored), StandardCharsets.UTF_8)
                .replace("\"completed\"", "\"bogus\""));
        bodies.put("an unknown element", new String(replacement(STORED_TYPE, stored), StandardCharsets.UTF_8)
                .replace("{\"resourceType\"", "{\"noSuchElement\":1,\"resourceType\""));
        bodies.forEach((name, body) -> probes.add(new Probe("PUT " + STORED_TYPE + ": " + name, persona, "PUT", target,
                writeHeaders("PUT", source), body.getBytes(StandardCharsets.UTF_8), false, Expect.REJECTED,
                List.of())));
        // (a bare 1 is read as W/"1", as clients send it both ways; a control character in a header is not HTTP,
        // and the gateway's HTTP server refuses the request with a bare 400 before any route sees it)
        for (Input version : List.of(new Input("If-Match of version 0", "W/\"0\"", true),
                new Input("If-Match of a version not written yet", "W/\"99\"", true),
                new Input("If-Match of 4 KiB", "W/\"" + "9".repeat(4096) + "\"", true))) {
            for (String method : List.of("PUT", "PATCH", "DELETE")) {
                Map<String, String> headers = writeHeaders(method, source);
                headers.put("If-Match", version.value());
                byte[] body = switch (method) {
                    case "PUT" -> replacement(STORED_TYPE, stored);
                    case "PATCH" -> REPLACE_STATUS;
                    default -> null;
                };
                probes.add(new Probe(method + " " + STORED_TYPE + ": " + version.name(), persona, method, target,
                        headers, body, false, Expect.REJECTED, List.of()));
            }
        }
        return probes;
    }

    /** The type of the resource {@link #storeWrites} aims its bodies at. */
    static final String STORED_TYPE = "QuestionnaireResponse";
    private static final byte[] REPLACE_STATUS = "{\"status\":\"amended\"}".getBytes(StandardCharsets.UTF_8);

    /** A QuestionnaireResponse of the store's with this id (none if null), valid as a whole. */
    static byte[] replacement(String type, String id) {
        return ("{\"resourceType\":\"" + type + "\"," + (id == null ? "" : "\"id\":\"" + id + "\",")
                + "\"status\":\"completed\",\"questionnaire\":\"https://example.org/Questionnaire/phq-2\","
                + "\"authored\":\"2025-10-01T09:00:00Z\",\"item\":[{\"linkId\":\"1\",\"answer\":[{\"valueInteger\""
                + ":2}]}]}").getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> writeHeaders(String method, long source) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (!method.equals("DELETE")) {
            headers.put("Content-Type", method.equals("PATCH") ? "application/merge-patch+json" : Uploads.FHIR_JSON);
        }
        headers.put(ResourceStoreIT.SOURCE_HEADER, Long.toString(source));
        return headers;
    }

    /** Every text of the corpus (refused where {@code refused}, and a NUL always), as JSON fragments. */
    private static List<Fragment> textFragments(boolean refused) {
        List<Fragment> fragments = new ArrayList<>();
        for (Fragment fragment : BadInputs.stringFragments()) {
            fragments.add(new Fragment(fragment.name(), fragment.bytes(), refused || fragment.rejected()));
        }
        return fragments;
    }

    private static List<Fragment> withTexts(boolean refused, String... texts) {
        List<Fragment> fragments = textFragments(refused);
        for (String text : texts) {
            fragments.add(Fragment.of("\"" + text + "\"", BadInputs.jsonString(text), refused));
        }
        return fragments;
    }

    private static List<Fragment> withHuge(List<Fragment> fragments, boolean refused) {
        List<Fragment> more = new ArrayList<>(fragments);
        more.add(Fragment.of("1 MiB string", BadInputs.jsonString(BadInputs.HUGE), refused));
        return more;
    }

    /** Open mHealth data points no device can have measured, each with the heart-rate code. */
    Map<String, String> impossibleDataPoints() {
        Map<String, String> points = new LinkedHashMap<>();
        points.put("date-time 2025-13-40T99:99:99Z", dataPoint("heart-rate", "2.0", "{\"heart_rate\":{\"value\":60,"
                + "\"unit\":\"beats/min\"},\"effective_time_frame\":{\"date_time\":\"2025-13-40T99:99:99Z\"}}",
                uuid()));
        points.put("year 99999", dataPoint("heart-rate", "2.0", "{\"heart_rate\":{\"value\":60,\"unit\":\"beats/min\"},"
                + "\"effective_time_frame\":{\"date_time\":\"99999-01-01T00:00:00Z\"}}", uuid()));
        points.put("header.uuid not-a-uuid", dataPoint("heart-rate", "2.0", heartRate("60"), "not-a-uuid"));
        points.put("schema_id of blood pressure under the heart-rate code", dataPoint("blood-pressure", "4.0",
                "{\"systolic_blood_pressure\":{\"value\":115,\"unit\":\"mmHg\"},\"diastolic_blood_pressure\":{"
                        + "\"value\":60,\"unit\":\"mmHg\"},\"effective_time_frame\":{\"date_time\":"
                        + "\"2025-01-01T00:04:00-08:00\"}}", uuid()));
        points.put("negative heart rate", dataPoint("heart-rate", "2.0", heartRate("-1"), uuid()));
        points.put("heart rate 1e308", dataPoint("heart-rate", "2.0", heartRate("1e308"), uuid()));
        points.put("heart rate as text", dataPoint("heart-rate", "2.0", heartRate("\"abc\""),
                uuid()));
        points.put("NUL in the unit", dataPoint("heart-rate", "2.0", "{\"heart_rate\":{\"value\":60,\"unit\":"
                + "\"beats/min\\u0000\"},\"effective_time_frame\":{\"date_time\":\"2025-01-01T00:04:00-08:00\"}}",
                uuid()));
        points.put("no body", "{\"header\":{\"uuid\":\"" + uuid() + "\",\"schema_id\":{\"namespace\":\"omh\","
                + "\"name\":\"heart-rate\",\"version\":\"2.0\"},\"source_creation_date_time\":"
                + "\"2025-01-01T01:04:01-08:00\"}}");
        points.put("no header", "{\"body\":" + heartRate("60") + "}");
        return points;
    }

    private static String heartRate(String value) {
        return "{\"heart_rate\":{\"value\":" + value + ",\"unit\":\"beats/min\"},\"effective_time_frame\":"
                + "{\"date_time\":\"2025-01-01T00:04:00-08:00\"}}";
    }

    private static String dataPoint(String name, String version, String body, String uuid) {
        return "{\"header\":{\"uuid\":\"" + uuid + "\",\"schema_id\":{\"namespace\":\"omh\",\"name\":\"" + name
                + "\",\"version\":\"" + version + "\"},\"source_creation_date_time\":\"2025-01-01T01:04:01-08:00\","
                + "\"modality\":\"sensed\"},\"body\":" + body + "}";
    }

    /** One bad value at a place of the Bundle; {@code refused} is what a value marked as refused must get. */
    private void bundleField(List<Probe> probes, List<Object> path, List<Fragment> fragments, Expect refused, int n) {
        for (Fragment fragment : fragments) {
            probes.add(upload("bundle " + display(path) + ": " + fragment.name(), UPLOADER, n++,
                    replaceInBundle(path, fragment.bytes()), fragment.rejected() ? refused : Expect.ANY));
        }
    }

    private void observationField(List<Probe> probes, boolean alone, List<Object> at, Object field,
            List<Fragment> fragments, int n) {
        List<Object> path = new ArrayList<>(at);
        if (field instanceof List<?> steps) {
            path.addAll(steps);
        } else {
            path.add(field);
        }
        for (Fragment fragment : fragments) {
            String label = (alone ? "Observation " : "entry ") + display(path) + ": " + fragment.name();
            Expect expect = fragment.rejected() ? Expect.ENTRY_REJECTED : Expect.ANY;
            if (alone) {
                ObjectNode observation = (ObjectNode) parse(entry()).get("resource");
                probes.add(new Probe(label, UPLOADER, "POST", "/fhir/r5/Observation", fhirJson(),
                        OpenApiProbes.replace(observation, path, fragment.bytes()), false, expect,
                        BadInputs.echoes(fragment)));
            } else {
                Probe probe = upload(label, UPLOADER, n++, replaceInBundle(path, fragment.bytes()), expect);
                probes.add(new Probe(probe.label(), probe.persona(), probe.method(), probe.target(), probe.headers(),
                        probe.body(), false, expect, BadInputs.echoes(fragment)));
            }
        }
    }

    /**
     * A POST of an upload: alternately to {@code /fhir/r5/} and {@code /FHIR/R5}, every third one a transaction
     * (the type is only changed where the probe does not change it itself).
     */
    private Probe upload(String label, String persona, int n, byte[] body, Expect expect) {
        String target = n % 2 == 0 ? "/fhir/r5/" : "/FHIR/R5";
        if (n % 3 == 2) {
            // read as ISO-8859-1, one char per byte, so that a probe's invalid UTF-8 bytes go out exactly as made
            String text = new String(body, StandardCharsets.ISO_8859_1);
            body = text.replaceFirst("\"type\":\"batch\"", "\"type\":\"transaction\"")
                    .getBytes(StandardCharsets.ISO_8859_1);
            if (!text.equals(new String(body, StandardCharsets.ISO_8859_1))) {
                label = label + " (transaction)";
            }
        }
        return new Probe(label, persona, "POST", target, fhirJson(), body, false, expect, List.of());
    }

    private static Map<String, String> fhirJson() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", Uploads.FHIR_JSON);
        return headers;
    }

    private Probe get(String label, String persona, String target, Expect expect, List<String> echoes) {
        return new Probe(label, persona, "GET", target, new LinkedHashMap<>(), null, false, expect, echoes);
    }

    private static String base(int rotation) {
        return rotation % 2 == 0 ? "/fhir/r5" : "/FHIR/R5";
    }

    /** A valid entry of Peter's heart rate, with a fresh (seeded) identifier. */
    private String entry() {
        return Uploads.entry(PATIENT, Uploads.HEART_RATE, uuid());
    }

    private String uuid() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private byte[] bundle(String entry) {
        return Uploads.bundle("batch", List.of(entry)).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] replaceInBundle(List<Object> path, byte[] fragment) {
        return OpenApiProbes.replace(parse(Uploads.bundle("batch", List.of(entry()))), path, fragment);
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) BadInputs.JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String display(List<Object> path) {
        StringBuilder text = new StringBuilder();
        for (Object step : path) {
            text.append(step instanceof Integer ? "[" + step + "]" : (text.length() == 0 ? "" : ".") + step);
        }
        return text.toString();
    }
}
