package org.jupyterhealth.exchange.fhir.web;

import java.net.URI;

import jakarta.enterprise.context.RequestScoped;

/**
 * The request as the client sent it, before any path normalisation: the absolute URL (as the gateway forwards
 * it, so with the public host and scheme) and the FHIR base the client used.
 */
@RequestScoped
public class FhirRequest {
    private URI requestUri;
    private String base = FhirBasePath.LOWER;

    /** A request as a client sent it, outside an HTTP request (tests, tools). */
    public static FhirRequest of(URI requestUri, String base) {
        FhirRequest request = new FhirRequest();
        request.remember(requestUri);
        request.useBase(base);
        return request;
    }

    void remember(URI uri) {
        this.requestUri = uri;
    }

    void useBase(String base) {
        this.base = base;
    }

    /** The absolute URL the client requested (path and query as sent). */
    public URI requestUri() {
        return requestUri;
    }

    /** {@code /fhir/r5} or {@code /FHIR/R5}, as the client wrote it. */
    public String base() {
        return base;
    }

    /** Scheme, host and port the client used, e.g. {@code https://exchange.example}. */
    public String origin() {
        URI uri = requestUri;
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    /** The absolute FHIR base URL in the client's style, without a trailing slash. */
    public String baseUrl() {
        return origin() + base;
    }
}
