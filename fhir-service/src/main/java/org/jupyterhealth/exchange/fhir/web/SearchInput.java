package org.jupyterhealth.exchange.fhir.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.jupyterhealth.exchange.fhir.search.SearchRequest;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;

/** Reads a search's parameters: the query string, plus a form body for {@code POST [type]/_search}. */
public final class SearchInput {
    private SearchInput() {
    }

    public static SearchRequest of(String type, UriInfo uri, String prefer) {
        return new SearchRequest(type, query(uri), SearchRequest.isStrict(prefer));
    }

    public static SearchRequest ofPost(String type, UriInfo uri, String prefer, MediaType contentType, String body) {
        Map<String, List<String>> params = query(uri);
        if (body != null && !body.isBlank() && contentType != null
                && contentType.isCompatible(MediaType.APPLICATION_FORM_URLENCODED_TYPE)) {
            parse(body, params);
        }
        return new SearchRequest(type, params, SearchRequest.isStrict(prefer));
    }

    /** The query parameters in the order the client wrote them, so that links repeat them in that order. */
    private static Map<String, List<String>> query(UriInfo uri) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        String raw = uri.getRequestUri().getRawQuery();
        if (raw != null) {
            parse(raw, params);
        }
        return params;
    }

    private static void parse(String encoded, Map<String, List<String>> params) {
        for (String pair : encoded.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
    }

    private static String decode(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("Malformed percent-encoding.");
        }
    }
}
