package org.jupyterhealth.exchange.fhir.web;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriBuilder;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;

/**
 * The admin API's paging: {@code limit}/{@code offset} (the guide) or {@code page} with
 * {@code page_size}/{@code pageSize} (the original), default 20, at most 1000; {@code next}/{@code previous} are
 * absolute URLs in the style the request used. A page past the end is 404 {@code "Invalid page."}, as in the
 * original.
 */
public record AdminPaging(boolean limitOffset, long offset, int size, int page, String sizeKey) {
    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 1000;

    public static AdminPaging of(MultivaluedMap<String, String> query) {
        if (query.containsKey("limit") || query.containsKey("offset")) {
            int limit = Math.min(MAX_SIZE, number(query, "limit", DEFAULT_SIZE, 1));
            int offset = number(query, "offset", 0, 0);
            return new AdminPaging(true, offset, limit, 0, "limit");
        }
        String sizeKey = query.containsKey("page_size") ? "page_size"
                : query.containsKey("pageSize") ? "pageSize" : "page_size";
        int size = Math.min(MAX_SIZE, number(query, sizeKey, DEFAULT_SIZE, 1));
        String raw = query.getFirst("page");
        int page;
        try {
            page = raw == null || raw.isBlank() ? 1 : Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new ResourceNotFoundException("Invalid page.");
        }
        if (page < 1) {
            throw new ResourceNotFoundException("Invalid page.");
        }
        return new AdminPaging(false, (page - 1L) * size, size, page, sizeKey);
    }

    private static int number(MultivaluedMap<String, String> query, String key, int fallback, int min) {
        String raw = query.getFirst(key);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.trim());
            if (value < min) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(key + " must be a whole number of at least " + min + ".");
        }
    }

    /** Refuses a page number past the last page (the first page always exists). */
    public void checkExists(long count) {
        if (!limitOffset && page > 1 && offset >= count) {
            throw new ResourceNotFoundException("Invalid page.");
        }
    }

    /** The envelope {@code {count, next, previous, results}}. */
    public Map<String, Object> envelope(URI request, long count, List<?> results) {
        String next = offset + size < count ? link(request, offset + size) : null;
        String previous = offset > 0 ? link(request, Math.max(0, offset - size)) : null;
        java.util.LinkedHashMap<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("count", count);
        body.put("next", next);
        body.put("previous", previous);
        body.put("results", results);
        return body;
    }

    private String link(URI request, long newOffset) {
        UriBuilder builder = UriBuilder.fromUri(request);
        if (limitOffset) {
            builder.replaceQueryParam("limit", size).replaceQueryParam("offset", newOffset);
            if (newOffset == 0) {
                builder.replaceQueryParam("offset");
            }
        } else {
            long newPage = newOffset / size + 1;
            builder.replaceQueryParam("page", newPage).replaceQueryParam(sizeKey, size);
            if (newPage == 1) {
                builder.replaceQueryParam("page");
            }
        }
        return builder.build().toString();
    }

}
