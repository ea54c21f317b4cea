package org.jupyterhealth.exchange.fhir.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jupyterhealth.exchange.common.audit.AuditAction;
import org.jupyterhealth.exchange.common.audit.AuditEvent;
import org.jupyterhealth.exchange.common.upload.EntryOutcome;
import org.jupyterhealth.exchange.fhir.search.DateRange;
import org.jupyterhealth.exchange.fhir.search.SearchParameters;
import org.jupyterhealth.exchange.fhir.search.SearchRequest;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;

/**
 * An AuditEvent search, read and checked from its parameters: {@code patient} (whose data), {@code agent} (the
 * user who acted: a user id), {@code date} (when), {@code type} (the action: read, search, create, ...),
 * {@code outcome} ({@code success}, {@code refused}, {@code failed}, or the codes 0, 4, 8), {@code entity} (a
 * resource, {@code Observation/60001} or {@code Patient/40001}); a comma is an OR, a repeated parameter an AND.
 * Any other parameter is ignored (FHIR's lenient handling); a malformed value is a 400 naming the parameter.
 *
 * @param patients the patients an event must concern one of; null for any (narrowed to the caller's own patient)
 */
public record AuditEventSearch(List<Long> patients, List<Long> agents, List<String> actions, List<String> outcomes,
        List<List<DateRange>> dates, List<List<Entity>> entities, Cursor before, int count) {

    public static final Set<String> PARAMETERS = Set.of("patient", "agent", "date", "type", "outcome", "entity");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final Pattern TYPE = Pattern.compile("[A-Z][A-Za-z]{0,63}");

    /** A resource an event names: a patient (any event about it), or a resource of a type by id. */
    public record Entity(String type, String id, Long patientId) {
    }

    /** Where the next page starts: strictly before this event. */
    public record Cursor(OffsetDateTime recordedAt, UUID eventId) {
        public String encode() {
            String text = recordedAt.toInstant().toEpochMilli() + "_" + eventId;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String value) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
                int split = text.indexOf('_');
                return new Cursor(Instant.ofEpochMilli(Long.parseLong(text.substring(0, split)))
                        .atOffset(ZoneOffset.UTC), UUID.fromString(text.substring(split + 1)));
            } catch (RuntimeException e) {
                throw new InvalidRequestException("_cursor is not a cursor of this search.");
            }
        }
    }

    public static AuditEventSearch from(Map<String, List<String>> query) {
        return from(query, false);
    }

    /**
     * The search of these parameters; {@code strict} ({@code Prefer: handling=strict}): a parameter this search does
     * not know is a 400 instead of being ignored.
     */
    public static AuditEventSearch from(Map<String, List<String>> query, boolean strict) {
        if (strict) {
            for (String name : query.keySet()) {
                if (!PARAMETERS.contains(name) && !SearchParameters.CONTROL.contains(name)) {
                    throw new InvalidRequestException("Unknown search parameter '" + EntryOutcome.quote(name)
                            + "' for AuditEvent (Prefer: handling=strict).");
                }
            }
        }
        List<Long> patients = null;
        for (String value : values(query, "patient")) {
            List<Long> anyOf = new ArrayList<>();
            for (String one : value.split(",")) {
                anyOf.add(number("patient", one.startsWith("Patient/") ? one.substring("Patient/".length()) : one));
            }
            // repeated: an event must concern one of each list; kept simple as the intersection of the lists
            patients = patients == null ? anyOf : patients.stream().filter(anyOf::contains).toList();
        }
        List<Long> agents = new ArrayList<>();
        for (String value : values(query, "agent")) {
            for (String one : value.split(",")) {
                int slash = one.lastIndexOf('/');
                agents.add(number("agent", slash < 0 ? one : one.substring(slash + 1)));
            }
        }
        List<String> actions = new ArrayList<>();
        for (String value : values(query, "type")) {
            for (String one : value.split(",")) {
                String code = one.contains("|") ? one.substring(one.indexOf('|') + 1) : one;
                if (AuditAction.of(code) == null) {
                    throw new InvalidRequestException("type must be one of read, search, create, update, delete, "
                            + "export, login, login-failed, token, revoke, consent.");
                }
                actions.add(code);
            }
        }
        List<String> outcomes = new ArrayList<>();
        for (String value : values(query, "outcome")) {
            for (String one : value.split(",")) {
                outcomes.add(switch (one.contains("|") ? one.substring(one.indexOf('|') + 1) : one) {
                    case "success", "0" -> AuditEvent.SUCCESS;
                    case "refused", "4" -> AuditEvent.REFUSED;
                    case "failed", "8" -> AuditEvent.FAILED;
                    default -> throw new InvalidRequestException("outcome must be success, refused or failed "
                            + "(or 0, 4, 8).");
                });
            }
        }
        List<List<DateRange>> dates = new ArrayList<>();
        for (String value : values(query, "date")) {
            List<DateRange> anyOf = new ArrayList<>();
            for (String one : value.split(",")) {
                anyOf.add(DateRange.parse("date", one));
            }
            dates.add(anyOf);
        }
        List<List<Entity>> entities = new ArrayList<>();
        for (String value : values(query, "entity")) {
            List<Entity> anyOf = new ArrayList<>();
            for (String one : value.split(",")) {
                int slash = one.indexOf('/');
                String type = slash < 0 ? "" : one.substring(0, slash);
                String id = slash < 0 ? "" : one.substring(slash + 1);
                if (!TYPE.matcher(type).matches() || !ID.matcher(id).matches()) {
                    throw new InvalidRequestException("entity must be a reference such as Observation/60001.");
                }
                anyOf.add("Patient".equals(type) ? new Entity(type, id, number("entity", id))
                        : new Entity(type, id, null));
            }
            entities.add(anyOf);
        }
        List<String> cursor = values(query, "_cursor");
        int count = SearchRequest.DEFAULT_COUNT;
        List<String> counts = values(query, "_count");
        if (!counts.isEmpty()) {
            try {
                count = Integer.parseInt(counts.get(0).trim());
            } catch (NumberFormatException e) {
                count = -1;
            }
            if (count < 1 || count > SearchRequest.MAX_COUNT) {
                throw new InvalidRequestException("_count must be a whole number from 1 to " + SearchRequest.MAX_COUNT
                        + ".");
            }
        }
        return new AuditEventSearch(patients, agents, actions, outcomes, dates, entities,
                cursor.isEmpty() ? null : Cursor.decode(cursor.get(0)), count);
    }

    /** The same search limited to these patients (a patient's own access report). */
    public AuditEventSearch onlyAbout(List<Long> own) {
        List<Long> narrowed = patients == null ? own : patients.stream().filter(own::contains).toList();
        return new AuditEventSearch(narrowed, agents, actions, outcomes, dates, entities, before, count);
    }

    private static List<String> values(Map<String, List<String>> query, String name) {
        List<String> values = query.getOrDefault(name, List.of());
        for (String value : values) {
            if (value == null || value.isEmpty() || value.length() > 1000 || hasControl(value)) {
                throw new InvalidRequestException(name + " must not be empty, longer than 1000 characters or "
                        + "contain control characters.");
            }
        }
        return values;
    }

    private static long number(String name, String text) {
        try {
            long id = Long.parseLong(text.trim());
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidRequestException(name + " must name an id (a positive whole number).");
    }

    private static boolean hasControl(String text) {
        return text.chars().anyMatch(Character::isISOControl);
    }
}
