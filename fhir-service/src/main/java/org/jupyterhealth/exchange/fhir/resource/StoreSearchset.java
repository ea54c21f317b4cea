package org.jupyterhealth.exchange.fhir.resource;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.jupyterhealth.exchange.fhir.search.PageCursor;
import org.jupyterhealth.exchange.fhir.search.SearchBundles;
import org.jupyterhealth.exchange.fhir.search.SearchRequest;
import org.jupyterhealth.exchange.fhir.web.FhirRequest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A searchset of stored resources, as the other searches write theirs (an empty one with {@code "entry": []}). */
final class StoreSearchset {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StoreSearchset() {
    }

    static String write(FhirRequest request, SearchRequest search, boolean get, String type,
            List<StoredResource> rows, Long total, PageCursor next, PageCursor previous) {
        ObjectNode bundle = JSON.createObjectNode();
        bundle.put("resourceType", "Bundle");
        bundle.putObject("meta").put("lastUpdated", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                Instant.now().atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS)));
        bundle.put("type", "searchset");
        if (total != null) {
            bundle.put("total", Math.min(total, Integer.MAX_VALUE));
        }
        ArrayNode links = bundle.putArray("link");
        links.addObject().put("relation", "self").put("url", get ? request.requestUri().toString()
                : SearchBundles.link(request, search, null, null));
        if (next != null) {
            links.addObject().put("relation", "next").put("url", SearchBundles.link(request, search, "_cursor",
                    next.encode()));
        }
        if (previous != null) {
            links.addObject().put("relation", "previous").put("url", SearchBundles.link(request, search, "_cursor",
                    previous.encode()));
        }
        ArrayNode entries = bundle.putArray("entry");
        String base = request.baseUrl() + "/" + type + "/";
        for (StoredResource row : rows) {
            ObjectNode entry = entries.addObject();
            entry.put("fullUrl", base + row.id());
            entry.set("resource", StoreJson.render(row));
            entry.putObject("search").put("mode", "match");
        }
        return bundle.toString();
    }
}
