package org.jupyterhealth.exchange.fhir.export;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.jupyterhealth.exchange.common.fhir.ResourceStore;
import org.jupyterhealth.exchange.fhir.search.TokenValue;
import org.jupyterhealth.exchange.fhir.web.PathIds;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;

/**
 * A kick-off's parameters, checked (FHIR Bulk Data Access 2.0): {@code _type}, {@code _since}, {@code _until},
 * {@code _typeFilter} ({@code Observation?code=...}), {@code _outputFormat} (NDJSON) and {@code patient}, and Bulk
 * Data 3.0's {@code allowPartialManifests} (finished files listed while the export runs). A
 * malformed value is always a 400; a parameter or value this server does not support is a 400 too, unless the
 * client asked for {@code Prefer: handling=lenient}, in which case it is left out and told in the manifest.
 *
 * @param types   the types to write, in the order of the manifest
 * @param since   only resources last updated after it, or null
 * @param until   only resources last updated before it, or null
 * @param codes   the Observation codes {@code _typeFilter} allows (any of them), or null for every code
 * @param patients the patients {@code patient} names, or null for all the caller may read
 * @param ignored what a lenient kick-off left out
 * @param partialManifests whether the status lists the files finished so far while the export runs
 */
public record ExportRequest(List<String> types, OffsetDateTime since, OffsetDateTime until, List<TokenValue> codes,
        List<Long> patients, List<String> ignored, boolean partialManifests) {

    /** The types an export writes: Patients, Open mHealth Observations, then the FHIR resource store's types. */
    static final List<String> TYPES;

    static {
        List<String> types = new ArrayList<>(List.of("Patient", "Observation"));
        ResourceStore.TYPES.stream().filter(t -> !types.contains(t)).sorted().forEach(types::add);
        TYPES = List.copyOf(types);
    }

    static final Set<String> OUTPUT_FORMATS = Set.of("application/fhir+ndjson", "application/ndjson", "ndjson");
    private static final Set<String> KNOWN = Set.of("_type", "_since", "_until", "_typeFilter", "_outputFormat",
            "patient", "allowPartialManifests");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}]");
    private static final Pattern PATIENT_REFERENCE = Pattern.compile("(?:Patient/)?([^/]+)");
    private static final int MAX_VALUE = 4096;
    private static final int MAX_VALUES = 200;

    /** The parameters (name to values, in the order given) of a kick-off. */
    public static ExportRequest parse(Map<String, List<String>> parameters, boolean lenient) {
        List<String> ignored = new ArrayList<>();
        int count = 0;
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            check("parameter name", parameter.getKey());
            for (String value : parameter.getValue()) {
                check(parameter.getKey(), value);
                if (++count > MAX_VALUES) {
                    throw new InvalidRequestException("Too many parameters.");
                }
            }
            if (!KNOWN.contains(parameter.getKey())) {
                unsupported(lenient, ignored, "The parameter " + shorten(parameter.getKey())
                        + " is not supported by this server.");
            }
        }
        List<String> types = types(parameters.getOrDefault("_type", List.of()), lenient, ignored);
        OffsetDateTime since = instant("_since", parameters.getOrDefault("_since", List.of()));
        OffsetDateTime until = instant("_until", parameters.getOrDefault("_until", List.of()));
        for (String format : parameters.getOrDefault("_outputFormat", List.of())) {
            if (!OUTPUT_FORMATS.contains(format)) {
                unsupported(lenient, ignored, "_outputFormat " + shorten(format)
                        + " is not supported: use application/fhir+ndjson.");
            }
        }
        List<TokenValue> codes = typeFilters(parameters.getOrDefault("_typeFilter", List.of()), lenient, ignored);
        List<Long> patients = patients(parameters.get("patient"));
        boolean partial = bool("allowPartialManifests", parameters.getOrDefault("allowPartialManifests", List.of()));
        return new ExportRequest(types, since, until, codes, patients, List.copyOf(ignored), partial);
    }

    private static List<String> types(List<String> values, boolean lenient, List<String> ignored) {
        if (values.isEmpty()) {
            return TYPES;
        }
        Set<String> asked = new LinkedHashSet<>();
        for (String value : values) {
            for (String type : value.split(",", -1)) {
                String trimmed = type.trim();
                if (TYPES.contains(trimmed)) {
                    asked.add(trimmed);
                } else {
                    unsupported(lenient, ignored, "The resource type " + shorten(trimmed)
                            + " is not exported by this server.");
                }
            }
        }
        // the manifest's order, whatever the order asked
        return TYPES.stream().filter(asked::contains).toList();
    }

    private static boolean bool(String name, List<String> values) {
        if (values.isEmpty()) {
            return false;
        }
        if (values.size() > 1 || !("true".equals(values.get(0)) || "false".equals(values.get(0)))) {
            throw new InvalidRequestException(name + " is given once, true or false.");
        }
        return "true".equals(values.get(0));
    }

    private static OffsetDateTime instant(String name, List<String> values) {
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new InvalidRequestException(name + " may be given once.");
        }
        try {
            return OffsetDateTime.parse(values.get(0));
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(name + " must be an instant with a time zone, such as "
                    + "2025-01-01T00:00:00Z.");
        }
    }

    /**
     * {@code _typeFilter}: queries of the form {@code Observation?code=a,b}; several of them are alternatives (any
     * matches), as are the comma-separated codes of one.
     */
    private static List<TokenValue> typeFilters(List<String> values, boolean lenient, List<String> ignored) {
        List<TokenValue> codes = null;
        for (String given : values) {
            // the filter's own query may arrive escaped once more (Observation%3Fcode%3D...), as clients are told
            String value = given.indexOf('?') < 0 && given.toUpperCase(java.util.Locale.ROOT).contains("%3F")
                    ? decode(given) : given;
            int question = value.indexOf('?');
            String type = question < 0 ? value : value.substring(0, question);
            Map<String, List<String>> query = question < 0 ? Map.of() : query(value.substring(question + 1));
            List<String> code = query.get("code");
            if (!"Observation".equals(type) || query.size() != 1 || code == null || code.size() != 1
                    || code.get(0).isEmpty()) {
                unsupported(lenient, ignored, "The _typeFilter " + shorten(given) + " is not supported: this server "
                        + "filters Observations by code (Observation?code=system|code).");
                continue;
            }
            if (codes == null) {
                codes = new ArrayList<>();
            }
            for (String token : code.get(0).split(",")) {
                if (!token.isEmpty()) {
                    codes.add(TokenValue.parse(token));
                }
            }
        }
        return codes == null ? null : List.copyOf(codes);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("_typeFilter is not a valid search query.");
        }
    }

    private static Map<String, List<String>> query(String text) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("_typeFilter is not a valid search query.");
            }
        }
        return query;
    }

    private static List<Long> patients(List<String> values) {
        if (values == null) {
            return null;
        }
        Set<Long> ids = new LinkedHashSet<>();
        for (String value : values) {
            for (String reference : value.split(",")) {
                var matcher = PATIENT_REFERENCE.matcher(reference.trim());
                Long id = matcher.matches() ? PathIds.parse(matcher.group(1)) : null;
                if (id == null) {
                    throw new InvalidRequestException("patient must name patients as Patient/{id}.");
                }
                ids.add(id);
            }
        }
        if (ids.isEmpty()) {
            throw new InvalidRequestException("patient must name patients as Patient/{id}.");
        }
        return List.copyOf(ids);
    }

    private static void check(String name, String value) {
        if (value == null) {
            return;
        }
        if (value.length() > MAX_VALUE) {
            throw new InvalidRequestException("The value of " + shorten(name) + " is too long.");
        }
        if (CONTROL.matcher(value).find()) {
            throw new InvalidRequestException("The value of " + shorten(name) + " holds control characters.");
        }
    }

    private static void unsupported(boolean lenient, List<String> ignored, String message) {
        if (!lenient) {
            throw new InvalidRequestException(message);
        }
        ignored.add(message + " It was ignored (Prefer: handling=lenient).");
    }

    private static String shorten(String text) {
        String clean = CONTROL.matcher(text).replaceAll("?");
        return clean.length() > 64 ? clean.substring(0, 64) + "..." : clean;
    }
}
