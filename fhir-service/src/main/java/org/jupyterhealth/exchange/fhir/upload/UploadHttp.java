package org.jupyterhealth.exchange.fhir.upload;

import java.util.Locale;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jupyterhealth.exchange.fhir.web.FhirExceptionMapper;

import io.vertx.core.http.HttpServerRequest;

/** What the upload resources share: the uploader, the base URL in the client's own style, refusals. */
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

    static Response rejected(Throwable failure) {
        UploadRejectedException rejected = (UploadRejectedException) failure;
        Response response = FhirExceptionMapper.outcome(rejected.status(), rejected.issueCode(), rejected.getMessage());
        return rejected.status() == 503 ? Response.fromResponse(response).header("Retry-After", "5").build() : response;
    }

    static Response notAUser() {
        return FhirExceptionMapper.outcome(403, "forbidden", "Only users can upload observations.");
    }

    static Response notFound() {
        return FhirExceptionMapper.outcome(404, "not-found", "Not found.");
    }
}
