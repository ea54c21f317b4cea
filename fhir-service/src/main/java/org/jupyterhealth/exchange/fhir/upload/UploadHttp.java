package org.jupyterhealth.exchange.fhir.upload;

import java.util.Locale;

import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.vertx.core.http.HttpServerRequest;

/** What the upload resources share: the uploader and the base URL in the client's own style. */
final class UploadHttp {
    static final String LOWER_BASE = "fhir/r5";
    static final String UPPER_BASE = "FHIR/R5";

    private UploadHttp() {
    }

    /** The uploading user's id, or null when the token names no user (a service's own token). */
    static Long uploaderId(JsonWebToken token) {
        String subject = token.getSubject();
        if (subject == null || !subject.matches("[1-9][0-9]{0,17}")) {
            return null;
        }
        return Long.parseLong(subject);
    }

    static boolean respondAsync(String prefer) {
        return prefer != null && prefer.toLowerCase(Locale.ROOT).contains("respond-async");
    }

    /**
     * The absolute FHIR base the client used ({@code .../fhir/r5} or {@code .../FHIR/R5}, DECISIONS #1), from the
     * request as it arrived (before any rewriting of the path), on the public host when the gateway forwards it.
     */
    static String base(UriInfo uri, HttpServerRequest request) {
        String root = uri.getBaseUri().toString();
        String path = request.path();
        String base = path != null && path.startsWith("/" + UPPER_BASE) ? UPPER_BASE : LOWER_BASE;
        return (root.endsWith("/") ? root : root + "/") + base;
    }
}
