package org.jupyterhealth.exchange.fhir.search;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Bundle.BundleType;
import org.hl7.fhir.r5.model.Bundle.SearchEntryMode;
import org.hl7.fhir.r5.model.Resource;
import org.jupyterhealth.exchange.fhir.web.FhirRequest;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Searchset Bundles: {@code total}, {@code self}/{@code next}/{@code previous} links written in the client's own
 * style (host, scheme, base casing, parameters), entries with {@code fullUrl} and {@code search.mode = match}.
 * Every searchset also carries {@code "entry"} (an empty array when nothing matched, {@code _summary=count}
 * included) and {@code "meta"}, as the original exchange's do: its clients index {@code bundle["entry"]} and
 * {@code bundle["meta"]} without checking that they are there. The meta holds the time of the search
 * ({@code lastUpdated}), since FHIR JSON has no empty objects; an empty {@code entry} array is the one departure
 * from FHIR JSON, which has no empty arrays either, made for those clients. HAPI FHIR leaves empty lists out, so
 * {@code entry} is added to its JSON ({@link #completeJson}).
 */
public final class SearchBundles {
    private static final Set<String> PAGING = Set.of("_cursor", "_page");

    private SearchBundles() {
    }

    /**
     * @param total      the total, or null when it was not computed
     * @param next       the cursor of the next page, or null when this is the last page
     * @param previous   the cursor of the previous page, or null when this is the first page
     */
    public static Bundle searchset(FhirRequest request, SearchRequest search, boolean get,
            List<? extends Resource> resources, Long total, PageCursor next, PageCursor previous) {
        Bundle bundle = new Bundle().setType(BundleType.SEARCHSET);
        bundle.getMeta().setLastUpdated(new Date());
        if (total != null) {
            bundle.setTotal(Math.toIntExact(Math.min(total, Integer.MAX_VALUE)));
        }
        bundle.addLink().setRelation(Bundle.LinkRelationTypes.SELF)
                .setUrl(get ? request.requestUri().toString() : link(request, search, null, null));
        if (next != null) {
            bundle.addLink().setRelation(Bundle.LinkRelationTypes.NEXT)
                    .setUrl(link(request, search, "_cursor", next.encode()));
        }
        if (previous != null) {
            bundle.addLink().setRelation(Bundle.LinkRelationTypes.PREVIOUS)
                    .setUrl(link(request, search, "_cursor", previous.encode()));
        }
        String base = request.baseUrl() + "/";
        for (Resource resource : resources) {
            bundle.addEntry().setFullUrl(base + resource.fhirType() + "/" + resource.getIdPart()).setResource(resource)
                    .getSearch().setMode(SearchEntryMode.MATCH);
        }
        return bundle;
    }

    /** Writes the searchset's {@code meta}, as HAPI FHIR writes it (after {@code resourceType}). */
    public static void writeMeta(JsonGenerator json) throws IOException {
        json.writeObjectFieldStart("meta");
        json.writeStringField("lastUpdated", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                Instant.now().atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS)));
        json.writeEndObject();
    }

    /**
     * A searchset's JSON as HAPI FHIR wrote it (one object, without {@code entry} when it has none), with an empty
     * {@code entry} when it has none.
     */
    public static String completeJson(Bundle searchset, String json) {
        return searchset.hasEntry() ? json : json.substring(0, json.lastIndexOf('}')) + ",\"entry\":[]}";
    }

    /** The search's URL with its paging parameter replaced. */
    public static String link(FhirRequest request, SearchRequest search, String pagingName, String pagingValue) {
        StringJoiner query = new StringJoiner("&");
        for (Map.Entry<String, List<String>> param : search.all().entrySet()) {
            if (PAGING.contains(param.getKey())) {
                continue;
            }
            for (String value : param.getValue()) {
                query.add(encode(param.getKey()) + "=" + encode(value));
            }
        }
        if (pagingName != null) {
            query.add(pagingName + "=" + encode(pagingValue));
        }
        String url = request.baseUrl() + "/" + search.type();
        return query.length() == 0 ? url : url + "?" + query;
    }

    /** Percent-encodes a query component, leaving the characters FHIR parameters use readable. */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("%3A", ":")
                .replace("%2C", ",").replace("%2F", "/");
    }
}
