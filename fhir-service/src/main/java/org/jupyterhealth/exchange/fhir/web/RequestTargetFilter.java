package org.jupyterhealth.exchange.fhir.web;

import jakarta.annotation.Priority;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import io.vertx.core.http.HttpServerRequest;

/**
 * Judges the path as the client sent it, before anything is matched: a path with {@code ;} parameters names no
 * resource. RESTEasy drops such (matrix) parameters from the path it matches and from path parameters, so that
 * {@code /fhir/r5/Patient/40001;x} read Patient 40001; it is a 404 in the path's dialect instead. The request line
 * is read from the HTTP server, where nothing has been stripped yet.
 */
public class RequestTargetFilter {

    @ServerRequestFilter(preMatching = true)
    @Priority(900) // before the FHIR bases are normalised: a path refused here is never rewritten
    public void refuseMatrixParameters(HttpServerRequest http) {
        String target = http.uri();
        int query = target.indexOf('?');
        if ((query < 0 ? target : target.substring(0, query)).indexOf(';') >= 0) {
            throw new ResourceNotFoundException("Not found.");
        }
    }
}
