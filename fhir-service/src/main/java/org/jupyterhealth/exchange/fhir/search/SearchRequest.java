package org.jupyterhealth.exchange.fhir.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.jupyterhealth.exchange.common.fhir.ResourceStore;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;

/**
 * The parameters of one FHIR search, with the result controls every search shares: {@code _count} (default 20, at
 * most 1000), {@code _page}, {@code _cursor}, {@code _sort}, {@code _summary=count}, {@code _total=none}. Repeated
 * parameters are kept apart (they AND); commas inside one value OR. Unknown parameters are ignored unless the client
 * asked for {@code Prefer: handling=strict}.
 */
public final class SearchRequest {
    public static final int DEFAULT_COUNT = 20;
    public static final int MAX_COUNT = 1000;

    /** Spellings of the study filter that older clients send (the original underscoreized query keys). */
    private static final Map<String, String> ALIASES = Map.of(
            "_has:_group:member:_id", SearchParameters.HAS_GROUP,
            "patient._has:_group:member:_id", SearchParameters.PATIENT_HAS_GROUP);

    private final String type;
    private final Map<String, List<String>> params;
    private final boolean strict;

    public SearchRequest(String type, Map<String, List<String>> raw, boolean strict) {
        this.type = type;
        this.strict = strict;
        this.params = new LinkedHashMap<>();
        raw.forEach(SearchRequest::checkText);
        raw.forEach((name, values) -> params.computeIfAbsent(canonical(type, name), n -> new ArrayList<>())
                .addAll(values));
        if (strict) {
            for (String name : params.keySet()) {
                if (!SearchParameters.accepts(type, name)) {
                    throw new InvalidRequestException("Unknown search parameter '" + DateRange.abbreviate(name)
                            + "' for " + type + " (Prefer: handling=strict).");
                }
            }
        }
    }

    /**
     * The name a parameter is known by: an alias of the study filter resolved, and, as the original matches names
     * separator-insensitively, {@code clinical_status} read as {@code clinical-status} (a name the type does not know
     * whose underscores, as hyphens, make one it knows).
     */
    private static String canonical(String type, String name) {
        String alias = ALIASES.get(name);
        if (alias != null) {
            return alias;
        }
        if (name.indexOf('_', 1) > 0 && !SearchParameters.accepts(type, name)) {
            String hyphenated = name.charAt(0) + name.substring(1).replace('_', '-');
            if (SearchParameters.accepts(type, hyphenated)) {
                return hyphenated;
            }
        }
        return name;
    }

    /**
     * Whether the search is for the FHIR resource store's resources, although its type has records of the exchange's
     * own (Observation, Patient, Group, Organization, Practitioner, Device): its {@code _source} names a FHIR source,
     * or its {@code _source:below} is below the FHIR sources' URL. A search chooses one store, as the original's.
     */
    public boolean namesFhirSources() {
        String sources = ResourceStore.SOURCE_PREFIX.substring(0, ResourceStore.SOURCE_PREFIX.length() - 1);
        return occurrences("_source").stream().anyMatch(v -> v.startsWith(ResourceStore.SOURCE_PREFIX))
                || occurrences("_source:below").stream().anyMatch(v -> v.startsWith(sources));
    }

    /**
     * Whether a search of the exchange's own records can find nothing for its source: a {@code _source} other than
     * theirs, or any {@code _source:below} (below the FHIR sources' URL the store is searched instead; below any other
     * URL there is nothing).
     */
    public boolean excludesOwnRecords() {
        return occurrences("_source").stream().anyMatch(v -> !v.equals(OWN_SOURCE))
                || !occurrences("_source:below").isEmpty();
    }

    /** {@code meta.source} of the exchange's own records. */
    public static final String OWN_SOURCE = "https://jupyterhealth.org/jhe";

    /**
     * Refuses control characters in a parameter's name or values, wherever they would go (PostgreSQL refuses a NUL
     * in text; links repeat the parameters): a 400 naming the parameter.
     */
    private static void checkText(String name, List<String> values) {
        if (hasControlCharacter(name)) {
            throw new InvalidRequestException("Invalid search parameter name '" + printable(name)
                    + "': control characters are not allowed.");
        }
        for (String value : values) {
            if (value != null && hasControlCharacter(value)) {
                throw new InvalidRequestException("Invalid value for " + printable(name)
                        + ": control characters are not allowed.");
            }
        }
    }

    private static boolean hasControlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return true;
            }
        }
        return false;
    }

    /** A name as a message may show it: shortened, control characters replaced. */
    private static String printable(String name) {
        StringBuilder shown = new StringBuilder();
        for (char c : DateRange.abbreviate(name).toCharArray()) {
            shown.append(c < 0x20 || c == 0x7F ? '\uFFFD' : c);
        }
        return shown.toString();
    }

    /** Whether {@code Prefer} asks for strict handling of unknown parameters. */
    public static boolean isStrict(String prefer) {
        return prefer != null && prefer.toLowerCase(Locale.ROOT).replace(" ", "").contains("handling=strict");
    }

    public String type() {
        return type;
    }

    public boolean strict() {
        return strict;
    }

    /** All parameters as received (aliases resolved), in order. */
    public Map<String, List<String>> all() {
        return params;
    }

    /** Every occurrence of a parameter, blank ones left out. */
    public List<String> occurrences(String name) {
        List<String> values = params.get(name);
        if (values == null || values.isEmpty()) {
            return List.of(); // most parameters of a search are absent: asked for without building anything
        }
        return values.stream().filter(v -> v != null && !v.isBlank()).toList();
    }

    /** Every occurrence, each split at commas into its OR-ed values. */
    public List<List<String>> orLists(String name) {
        List<String> occurrences = occurrences(name);
        if (occurrences.isEmpty()) {
            return List.of();
        }
        return occurrences.stream()
                .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList())
                .filter(l -> !l.isEmpty())
                .toList();
    }

    public boolean has(String name) {
        return !occurrences(name).isEmpty();
    }

    /** {@code _count}: default 20, at most 1000; 0 asks for the total only. */
    public int count() {
        Optional<String> value = single("_count");
        if (value.isEmpty()) {
            return DEFAULT_COUNT;
        }
        int count = parseInt("_count", value.get());
        if (count < 0) {
            throw new InvalidRequestException("Invalid value for _count: '" + value.get()
                    + "'. Expected a whole number from 0 to " + MAX_COUNT + ".");
        }
        return Math.min(count, MAX_COUNT);
    }

    /** {@code _page} (1-based), the original's paging. */
    public Optional<Integer> page() {
        return single("_page").map(v -> {
            int page = parseInt("_page", v);
            if (page < 1) {
                throw new InvalidRequestException("Invalid value for _page: '" + v + "'. Pages start at 1.");
            }
            return page;
        });
    }

    public Optional<PageCursor> cursor() {
        return single("_cursor").map(PageCursor::decode);
    }

    /** {@code _summary=count}, or {@code _count=0}: the total only, no entries. */
    public boolean summaryCount() {
        return single("_summary").map(v -> v.equalsIgnoreCase("count")).orElse(false) || count() == 0;
    }

    /** {@code _total=none}: the client does not need the total. */
    public boolean totalNotNeeded() {
        return single("_total").map(v -> v.equalsIgnoreCase("none")).orElse(false);
    }

    /**
     * The first recognised key of {@code _sort} among {@code allowed} (e.g. {@code _lastUpdated}, {@code date}),
     * with {@code -} for descending; unknown keys are ignored (refused when strict).
     */
    public Optional<Sort> sort(List<String> allowed) {
        for (List<String> keys : orLists("_sort")) {
            for (String key : keys) {
                boolean descending = key.startsWith("-");
                String name = descending ? key.substring(1) : key;
                if (allowed.contains(name)) {
                    return Optional.of(new Sort(name, descending));
                }
                if (strict) {
                    throw new InvalidRequestException("Unsupported _sort key '" + DateRange.abbreviate(key)
                            + "'. Supported: " + String.join(", ", allowed) + ".");
                }
            }
        }
        return Optional.empty();
    }

    /** A sort key and its direction. */
    public record Sort(String key, boolean descending) {
    }

    /** The date conditions of a parameter: occurrences AND, commas OR. */
    public List<List<DateRange>> dates(String name) {
        return orLists(name).stream().map(list -> list.stream().map(v -> DateRange.parse(name, v)).toList()).toList();
    }

    private Optional<String> single(String name) {
        List<String> values = occurrences(name);
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1 && !values.stream().allMatch(values.get(0)::equals)) {
            throw new InvalidRequestException("Parameter " + name + " was given more than once.");
        }
        return Optional.of(values.get(0).trim());
    }

    private static int parseInt(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("Invalid value for " + name + ": '" + DateRange.abbreviate(value)
                    + "'. Expected a whole number.");
        }
    }

    /** Parses a reference or id value to a numeric id ({@code 40001}, {@code Patient/40001}); 400 otherwise. */
    public static long idOf(String name, String value, String resourceType) {
        String id = value;
        int slash = value.lastIndexOf('/');
        if (slash >= 0) {
            String prefix = value.substring(0, slash);
            if (!prefix.equals(resourceType) && !prefix.endsWith("/" + resourceType)) {
                throw new InvalidRequestException("Invalid value for " + name + ": '" + DateRange.abbreviate(value)
                        + "'. Expected a " + resourceType + " id or reference.");
            }
            id = value.substring(slash + 1);
        }
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("Invalid value for " + name + ": '" + DateRange.abbreviate(value)
                    + "'. Expected a " + resourceType + " id or reference.");
        }
    }
}
