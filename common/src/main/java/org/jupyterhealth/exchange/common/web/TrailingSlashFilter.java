package org.jupyterhealth.exchange.common.web;

import java.net.URI;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.ext.Provider;

/**
 * Serves every path with and without a trailing slash, as the original did: {@code /api/v1/patients/} is matched as
 * {@code /api/v1/patients}, {@code /o/token/} as {@code /o/token}. A request whose URI cannot be built (a forged
 * {@code X-Forwarded-Host}) is refused with 400, in the service's dialect.
 */
@Provider
@PreMatching
public class TrailingSlashFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        URI uri;
        try {
            uri = request.getUriInfo().getRequestUri();
        } catch (RuntimeException e) {
            // the request URI is built from the forwarded host and scheme: a forged one is the client's error
            throw new BadRequestException("Invalid request URI or forwarded host.");
        }
        String path = uri.getRawPath();
        if (path != null && path.length() > 1 && path.endsWith("/")) {
            String trimmed = path.replaceAll("/+$", "");
            request.setRequestUri(UriBuilder.fromUri(uri).replacePath(trimmed.isEmpty() ? "/" : trimmed).build());
        }
    }
}
