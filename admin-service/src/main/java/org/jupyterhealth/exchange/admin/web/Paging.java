package org.jupyterhealth.exchange.admin.web;

import java.net.URI;
import java.net.URISyntaxException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.UriInfo;

import org.jupyterhealth.exchange.admin.config.AdminConfig;

import io.vertx.core.http.HttpServerRequest;

/**
 * Reads a list request's paging ({@link PageRequest}) and places its {@code next}/{@code previous} links on the
 * exchange's public URL ({@code jhe.admin.public-url}): the request's {@code Host} and any forwarded host are the
 * client's words, and a link built from them would send the next page to whichever host a caller named. The
 * request's own path (with or without its trailing slash) and query are kept.
 */
@ApplicationScoped
public class Paging {
    private final URI publicUrl;
    private final HttpServerRequest request;

    public Paging(AdminConfig config, HttpServerRequest request) {
        this.publicUrl = URI.create(config.publicUrl().replaceAll("/+$", ""));
        this.request = request;
    }

    public PageRequest of(UriInfo uri) {
        return of(uri, PageRequest.DEFAULT_SIZE);
    }

    /** @param defaultSize the page size when the request names none (the original uses 1000 for some lists) */
    public PageRequest of(UriInfo uri, int defaultSize) {
        return PageRequest.of(uri, self(uri), defaultSize);
    }

    /** This request's URL as the public URL serves it. */
    private URI self(UriInfo uri) {
        URI requested = uri.getRequestUri();
        String path = requested.getRawPath();
        // the path as matched has lost its trailing slash (both spellings are served); links keep the client's
        String original = request.path();
        if (original != null && original.length() > 1 && original.endsWith("/") && !path.endsWith("/")) {
            path = path + "/";
        }
        String base = publicUrl.getRawPath() == null ? "" : publicUrl.getRawPath();
        String query = requested.getRawQuery();
        try {
            return new URI(publicUrl.getScheme() + "://" + publicUrl.getRawAuthority() + base + path
                    + (query == null ? "" : "?" + query));
        } catch (URISyntaxException e) {
            // the request URI was parsed already: only a public URL that is not one could fail here
            throw new IllegalStateException("jhe.admin.public-url is not a URL", e);
        }
    }
}
