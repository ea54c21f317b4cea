package org.jupyterhealth.exchange.common.web;

import java.net.URI;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.ext.Provider;

/**
 * Serves every path with and without a trailing slash (DECISIONS #2): {@code /api/v1/patients/} is matched as
 * {@code /api/v1/patients}, {@code /o/token/} as {@code /o/token}.
 */
@Provider
@PreMatching
public class TrailingSlashFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        URI uri = request.getUriInfo().getRequestUri();
        String path = uri.getRawPath();
        if (path != null && path.length() > 1 && path.endsWith("/")) {
            String trimmed = path.replaceAll("/+$", "");
            request.setRequestUri(UriBuilder.fromUri(uri).replacePath(trimmed.isEmpty() ? "/" : trimmed).build());
        }
    }
}
