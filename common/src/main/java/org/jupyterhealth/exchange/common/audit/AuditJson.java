package org.jupyterhealth.exchange.common.audit;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The canonical JSON of an {@link AuditEvent}: members in alphabetical order, absent members left out, no white
 * space, instants in ISO-8601 UTC with milliseconds. The stored event is this text, and its hash is computed over
 * exactly these bytes ({@link AuditChain}), so the producer, the store and {@code ./jhe audit verify} must all
 * write it the same way: one writer, here, with no module of Jackson's that could differ between them.
 */
public final class AuditJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> OUTCOMES = Set.of(AuditEvent.SUCCESS, AuditEvent.REFUSED, AuditEvent.FAILED);
    private static final Set<String> ROLES = Set.of("patient", "practitioner", "superuser", "service");

    private AuditJson() {
    }

    /**
     * The canonical text of an event, written member by member straight to the text (no tree of nodes in between:
     * this runs once per audited request); the same generator, and so the same escapes, as the mapper's.
     */
    public static String write(AuditEvent event) {
        StringWriter text = new StringWriter(512);
        try (JsonGenerator out = JSON.getFactory().createGenerator(text)) {
            out.writeStartObject();
            writeText(out, "action", event.action());
            writeText(out, "clientAddress", event.clientAddress());
            writeText(out, "clientId", event.clientId());
            if (event.count() != null) {
                out.writeNumberField("count", event.count().intValue());
            }
            writeText(out, "id", event.id() == null ? null : event.id().toString());
            writeText(out, "outcome", event.outcome());
            out.writeArrayFieldStart("patientIds");
            for (Long id : event.patientIds()) {
                out.writeNumber(id.longValue());
            }
            out.writeEndArray();
            writeText(out, "query", event.query());
            writeText(out, "recorded", event.recorded() == null ? null : instant(event.recorded()));
            writeText(out, "requestId", event.requestId());
            out.writeArrayFieldStart("resourceIds");
            for (String id : event.resourceIds()) {
                out.writeString(id);
            }
            out.writeEndArray();
            writeText(out, "resourceType", event.resourceType());
            writeText(out, "role", event.role());
            writeText(out, "service", event.service());
            out.writeNumberField("status", event.status());
            if (event.userId() != null) {
                out.writeNumberField("userId", event.userId().longValue());
            }
            out.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }

    /**
     * The event of a record's value, checked: a value that is not an event of this shape is refused with an
     * {@link IllegalArgumentException} naming the member.
     */
    public static AuditEvent read(String value) {
        JsonNode node;
        try {
            node = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not an object");
        }
        UUID id;
        Instant recorded;
        try {
            id = UUID.fromString(required(node, "id"));
            recorded = Instant.parse(required(node, "recorded"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("recorded is not an instant");
        }
        String action = required(node, "action");
        if (AuditAction.of(action) == null) {
            throw new IllegalArgumentException("unknown action");
        }
        String outcome = required(node, "outcome");
        if (!OUTCOMES.contains(outcome)) {
            throw new IllegalArgumentException("unknown outcome");
        }
        String role = text(node, "role", AuditEvent.MAX_TEXT);
        if (role != null && !ROLES.contains(role)) {
            throw new IllegalArgumentException("unknown role");
        }
        int status = node.path("status").asInt(-1);
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status is not an HTTP status");
        }
        JsonNode count = node.get("count");
        JsonNode user = node.get("userId");
        return new AuditEvent(id, recorded, required(node, "service"), action, outcome, status,
                user == null || user.isNull() ? null : number(user, "userId"), role,
                text(node, "clientId", AuditEvent.MAX_TEXT), text(node, "resourceType", AuditEvent.MAX_TEXT),
                texts(node, "resourceIds"), text(node, "query", AuditEvent.MAX_QUERY),
                count == null || count.isNull() ? null : (int) number(count, "count"), numbers(node, "patientIds"),
                text(node, "requestId", AuditEvent.MAX_TEXT), text(node, "clientAddress", AuditEvent.MAX_TEXT));
    }

    /** An instant as the canonical text writes it: UTC, milliseconds. */
    public static String instant(Instant instant) {
        Instant millis = instant.truncatedTo(ChronoUnit.MILLIS);
        String text = millis.toString();
        // Instant.toString leaves out a zero fraction: always three digits, so that one instant has one text
        return millis.getNano() == 0 ? text.substring(0, text.length() - 1) + ".000Z" : text;
    }

    private static void writeText(JsonGenerator out, String name, String value) throws IOException {
        if (value != null) {
            out.writeStringField(name, value);
        }
    }

    private static String required(JsonNode node, String name) {
        String value = text(node, name, AuditEvent.MAX_TEXT);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " is missing");
        }
        return value;
    }

    private static String text(JsonNode node, String name, int max) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() || value.asText().length() > max || AuditQuery.hasControl(value.asText())) {
            throw new IllegalArgumentException(name + " is not a text of at most " + max + " characters");
        }
        return value.asText();
    }

    private static long number(JsonNode value, String name) {
        if (!value.canConvertToLong() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException(name + " is not an integer");
        }
        return value.asLong();
    }

    private static List<String> texts(JsonNode node, String name) {
        JsonNode array = node.get(name);
        List<String> values = new ArrayList<>();
        if (array == null || array.isNull()) {
            return values;
        }
        if (!array.isArray() || array.size() > AuditEvent.MAX_IDS) {
            throw new IllegalArgumentException(name + " is not a list of at most " + AuditEvent.MAX_IDS);
        }
        for (JsonNode value : array) {
            if (!value.isTextual() || value.asText().length() > AuditEvent.MAX_TEXT
                    || AuditQuery.hasControl(value.asText())) {
                throw new IllegalArgumentException(name + " holds something other than an id");
            }
            values.add(value.asText());
        }
        return values;
    }

    private static List<Long> numbers(JsonNode node, String name) {
        JsonNode array = node.get(name);
        List<Long> values = new ArrayList<>();
        if (array == null || array.isNull()) {
            return values;
        }
        if (!array.isArray() || array.size() > 10_000) {
            throw new IllegalArgumentException(name + " is not a list");
        }
        for (JsonNode value : array) {
            values.add(number(value, name));
        }
        return values;
    }
}
