package org.jupyterhealth.exchange.fhir.web;

import java.net.URI;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.UriBuilder;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jupyterhealth.exchange.fhir.config.FhirConfig;

/**
 * Serves the FHIR API under both bases with identical behaviour: {@code /FHIR/R5/...} (the newest
 * clients) is matched as {@code /fhir/r5/...} (the guide), and the base the client used is remembered so that
 * every link and URL in the answer is written in the client's own style, on the configured public URL.
 */
public class FhirBasePath {
    public static final String LOWER = "/fhir/r5";
    public static final String UPPER = "/FHIR/R5";

    private final FhirRequest current;
    private final String publicOrigin;

    public FhirBasePath(FhirRequest current, FhirConfig config) {
        this.current = current;
        this.publicOrigin = config.publicOrigin();
    }

    @ServerRequestFilter(preMatching = true)
    @Priority(1000)
    public void normalise(ContainerRequestContext request) {
        URI uri = request.getUriInfo().getRequestUri();
        String path = uri.getRawPath();
        current.remember(publicOrigin, uri);
        if (path != null && (path.equals(UPPER) || path.startsWith(UPPER + "/"))) {
            current.useBase(UPPER);
            request.setRequestUri(UriBuilder.fromUri(uri).replacePath(LOWER + path.substring(UPPER.length())).build());
        }
    }
}
