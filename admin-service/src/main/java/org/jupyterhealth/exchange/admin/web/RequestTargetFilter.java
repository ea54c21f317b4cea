package org.jupyterhealth.exchange.admin.web;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.Provider;

import org.jupyterhealth.exchange.admin.web.AdminException.NotFoundException;

import io.vertx.core.http.HttpServerRequest;

/**
 * Judges the path and query of every request before a resource sees them: a path with {@code ;} parameters (which
 * JAX-RS would strip, so that {@code /clients/1;x} meant client 1) is not a resource, a path id must be a plain
 * decimal number ({@code 7}, not {@code +7}, {@code 07}, {@code 7.0} or {@code -7}), and no path segment or query
 * parameter may hold a control character (400 naming it), so that nothing odd reaches a query or identity-service.
 */
@Provider
public class RequestTargetFilter implements ContainerRequestFilter {
    private static final Pattern PLAIN_ID = Pattern.compile("0|[1-9][0-9]{0,17}");

    private final HttpServerRequest http;

    public RequestTargetFilter(HttpServerRequest http) {
        this.http = http;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        // the path as the client sent it: the one JAX-RS matched has lost its ';' parameters already
        String target = http.uri();
        int end = target.indexOf('?');
        if ((end < 0 ? target : target.substring(0, end)).indexOf(';') >= 0) {
            throw notFound();
        }
        UriInfo uri = request.getUriInfo();
        for (Map.Entry<String, List<String>> param : uri.getPathParameters().entrySet()) {
            for (String value : param.getValue()) {
                String problem = TextRules.problem(value, false);
                if (problem != null) {
                    throw TextRules.invalid(param.getKey(), problem);
                }
                if ("id".equals(param.getKey()) && !PLAIN_ID.matcher(value).matches()) {
                    throw notFound();
                }
            }
        }
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        for (Map.Entry<String, List<String>> param : query.entrySet()) {
            String name = param.getKey();
            String problem = TextRules.problem(name, false);
            if (problem != null) {
                throw TextRules.invalid("query", problem);
            }
            for (String value : param.getValue()) {
                problem = TextRules.problem(value, false);
                if (problem != null) {
                    throw TextRules.invalid(Json.camel(name), problem);
                }
            }
        }
    }

    private static NotFoundException notFound() {
        return new NotFoundException("Not found.");
    }
}
