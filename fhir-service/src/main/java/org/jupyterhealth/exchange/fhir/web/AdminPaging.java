package org.jupyterhealth.exchange.fhir.web;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.MultivaluedMap;

import org.jupyterhealth.exchange.common.web.PageRule;
import org.jupyterhealth.exchange.common.web.PageRule.Reading;
import org.jupyterhealth.exchange.common.web.PageRule.Refused;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;

/**
 * The admin API's paging on {@code /api/v1/observations}: the exchange's paging rule ({@link PageRule},
 * docs/compatibility.md#pagination), read strictly as this endpoint reads its filters ({@link Reading#STRICT}), its
 * refusals as HAPI FHIR's status-typed exceptions, which the mapper answers in the admin dialect.
 */
public final class AdminPaging {
    private AdminPaging() {
    }

    /** The slice the request asks for; 404 {@code "Invalid page."}, or 400 naming a malformed parameter. */
    public static PageRule of(MultivaluedMap<String, String> query) {
        try {
            return PageRule.of(query::getFirst, PageRule.DEFAULT_SIZE, Reading.STRICT);
        } catch (Refused refused) {
            throw failure(refused);
        }
    }

    /**
     * The envelope {@code {count, next, previous, results}}; 404 {@code "Invalid page."} for a page past the last (the
     * first page always exists).
     */
    public static Map<String, Object> envelope(PageRule page, URI request, long count, List<?> results) {
        try {
            page.checkExists(count);
        } catch (Refused refused) {
            throw failure(refused);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", count);
        body.put("next", page.next(request, count));
        body.put("previous", page.previous(request));
        body.put("results", results);
        return body;
    }

    private static BaseServerResponseException failure(Refused refused) {
        return refused.status() == 404 ? new ResourceNotFoundException(refused.getMessage())
                : new InvalidRequestException(refused.getMessage());
    }
}
