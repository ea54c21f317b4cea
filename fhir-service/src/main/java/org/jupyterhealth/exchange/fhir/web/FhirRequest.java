package org.jupyterhealth.exchange.fhir.web;

import java.net.URI;

import jakarta.enterprise.context.RequestScoped;

/**
 * The request as the client sent it, before any path normalisation: its path and query, and the FHIR base the
 * client used; with the exchange's configured public URL, the absolute URLs written in the answer. The request's
 * own host is never used: {@code Host} and {@code X-Forwarded-Host} are whatever the client chose to send.
 */
@RequestScoped
public class FhirRequest {
    private String publicUrl = "";
    private String pathAndQuery = "/";
    private String base = FhirBasePath.LOWER;

    /** A request as a client sent it, outside an HTTP request (tests, tools): the URL's origin is the public URL. */
    public static FhirRequest of(URI requestUri, String base) {
        FhirRequest request = new FhirRequest();
        request.remember(requestUri.getScheme() + "://" + requestUri.getRawAuthority(), requestUri);
        request.useBase(base);
        return request;
    }

    void remember(String publicUrl, URI requestUri) {
        this.publicUrl = publicUrl;
        String query = requestUri.getRawQuery();
        this.pathAndQuery = (requestUri.getRawPath() == null ? "/" : requestUri.getRawPath())
                + (query == null ? "" : "?" + query);
    }

    void useBase(String base) {
        this.base = base;
    }

    /** The absolute URL of the request: the public URL with the path and query as the client sent them. */
    public URI requestUri() {
        return URI.create(publicUrl + pathAndQuery);
    }

    /** {@code /fhir/r5} or {@code /FHIR/R5}, as the client wrote it. */
    public String base() {
        return base;
    }

    /** The exchange's public URL, e.g. {@code https://exchange.example}, without a trailing slash. */
    public String origin() {
        return publicUrl;
    }

    /** The absolute FHIR base URL in the client's style, without a trailing slash. */
    public String baseUrl() {
        return publicUrl + base;
    }
}
