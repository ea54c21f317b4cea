package org.jupyterhealth.exchange.console.audit;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One page of an access report, read from the FHIR API's AuditEvent searchset (docs/compatibility.md#audit-trail):
 * who accessed the data, when, through which app, what they did and how it ended. The address an access came from
 * is shown only when the API gives it (to a superuser); a patient's report never has it.
 *
 * @param next the cursor of the next (older) page, or null on the last one
 */
public record AccessReport(List<Entry> entries, String next) {
    /** The API's cursors: base64url without padding. */
    private static final Pattern CURSOR = Pattern.compile("[A-Za-z0-9_-]{1,200}");
    private static final String AUTHOR = "AUT";
    private static final String DEVICE = "DEV";
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /** Whether a cursor from the address bar can be one of the API's (else it is refused before any call). */
    public static boolean isCursor(String value) {
        return value != null && CURSOR.matcher(value).matches();
    }

    /**
     * One access.
     *
     * @param recorded  when, as the API wrote it (ISO 8601)
     * @param action    read, search, create, update, delete, export, consent, login, ...
     * @param outcome   0 (done), 4 (refused) or 8 (failed)
     * @param role      the role of the user who acted (patient, practitioner, superuser...), or null
     * @param userId    the id of the user who acted, or null
     * @param client    the OAuth client (the app) it came through, or null
     * @param resources the resources read or written ({@code Observation/60001})
     * @param searched  for a search: the type searched, or null
     * @param count     for a search: how many resources it returned, or null
     * @param network   the client's address, only when the API gave it
     */
    public record Entry(String id, String recorded, String action, String outcome, String status, String role,
            String userId, String client, String service, List<String> resources, String searched, Integer count,
            String network) {

        /** The time in UTC, readable. */
        public String when() {
            try {
                return WHEN.format(Instant.parse(recorded));
            } catch (DateTimeParseException | NullPointerException e) {
                return recorded == null ? "—" : recorded;
            }
        }

        /** Who, in words: the role and the user's number. */
        public String who() {
            String who = role == null ? "a user" : role;
            return userId == null ? who : who + " (user " + userId + ")";
        }

        /** What was done, in words. */
        public String what() {
            String verb = switch (action == null ? "" : action) {
                case "read" -> "Read";
                case "search" -> "Searched";
                case "create" -> "Added";
                case "update" -> "Changed";
                case "delete" -> "Deleted";
                case "export" -> "Exported";
                case "consent" -> "Changed a consent";
                case "login" -> "Signed in";
                case "login-failed" -> "Failed to sign in";
                case "token" -> "Was granted access";
                case "revoke" -> "Revoked access";
                default -> action == null ? "Accessed" : action;
            };
            StringBuilder what = new StringBuilder(verb);
            if (searched != null) {
                what.append(' ').append(searched);
                if (count != null) {
                    what.append(", ").append(count).append(count == 1 ? " result" : " results");
                }
            } else if (!resources.isEmpty()) {
                what.append(' ').append(resources.size() <= 3 ? String.join(", ", resources)
                        : String.join(", ", resources.subList(0, 3)) + " and " + (resources.size() - 3) + " more");
            }
            return what.toString();
        }

        /** How it ended, in words. */
        public String result() {
            return switch (outcome == null ? "" : outcome) {
                case "0" -> "Allowed";
                case "4" -> "Refused";
                default -> "Failed";
            };
        }

        public boolean refused() {
            return !"0".equals(outcome);
        }
    }

    /** The page of a searchset of AuditEvents; anything it does not recognize is left out, never guessed. */
    public static AccessReport from(JsonNode bundle) {
        List<Entry> entries = new ArrayList<>();
        for (JsonNode entry : bundle.path("entry")) {
            JsonNode event = entry.path("resource");
            if (!"AuditEvent".equals(event.path("resourceType").asText())) {
                continue;
            }
            String role = null;
            String user = null;
            String client = null;
            String network = null;
            for (JsonNode agent : event.path("agent")) {
                String type = agent.path("type").path("coding").path(0).path("code").asText(null);
                if (AUTHOR.equals(type)) {
                    role = text(agent.path("role").path(0).path("text"));
                    user = text(agent.path("who").path("identifier").path("value"));
                    network = text(agent.path("networkString"));
                } else if (DEVICE.equals(type)) {
                    client = text(agent.path("who").path("identifier").path("value"));
                }
            }
            List<String> resources = new ArrayList<>();
            String searched = null;
            Integer count = null;
            for (JsonNode entity : event.path("entity")) {
                String objectRole = entity.path("role").path("coding").path(0).path("code").asText("");
                switch (objectRole) {
                    case "4" -> {
                        String reference = text(entity.path("what").path("reference"));
                        if (reference != null) {
                            resources.add(reference);
                        }
                    }
                    case "24" -> {
                        searched = entity.path("what").path("display").asText("resources");
                        for (JsonNode detail : entity.path("detail")) {
                            if ("count".equals(detail.path("type").path("text").asText())
                                    && detail.path("valueInteger").isInt()) {
                                count = detail.path("valueInteger").asInt();
                            }
                        }
                    }
                    default -> {
                        // the patient whose data it was: the report is about them already
                    }
                }
            }
            String status = text(event.path("outcome").path("detail").path(0).path("text"));
            entries.add(new Entry(text(event.path("id")), text(event.path("recorded")),
                    text(event.path("code").path("coding").path(0).path("code")),
                    text(event.path("outcome").path("code").path("code")), status, role, user, client,
                    text(event.path("source").path("observer").path("display")), List.copyOf(resources), searched,
                    count, network));
        }
        return new AccessReport(List.copyOf(entries), nextCursor(bundle));
    }

    /** The {@code _cursor} of the bundle's next link. */
    private static String nextCursor(JsonNode bundle) {
        for (JsonNode link : bundle.path("link")) {
            if (!"next".equals(link.path("relation").asText())) {
                continue;
            }
            String query;
            try {
                query = URI.create(link.path("url").asText()).getRawQuery();
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (query == null) {
                return null;
            }
            for (String parameter : query.split("&")) {
                if (parameter.startsWith("_cursor=")) {
                    String cursor = URLDecoder.decode(parameter.substring("_cursor=".length()), StandardCharsets.UTF_8);
                    return isCursor(cursor) ? cursor : null;
                }
            }
        }
        return null;
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }
}
