package org.jupyterhealth.exchange.fhir.upload;

import java.util.Locale;

import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jupyterhealth.exchange.fhir.web.FhirMediaTypes;

/** What the upload resources share: the uploader, the body's media type and the asynchronous answer's preference. */
public final class UploadHttp {

    private UploadHttp() {
    }

    /** The uploading user's id, or null when the token names no user (a service's own token). */
    public static Long uploaderId(JsonWebToken token) {
        String subject = token.getSubject();
        if (subject == null || !subject.matches("[1-9][0-9]{0,17}")) {
            return null;
        }
        return Long.parseLong(subject);
    }

    /**
     * Whether a body of this {@code Content-Type} is read as an upload: FHIR JSON ({@code application/fhir+json}) or
     * JSON ({@code application/json}, what the jupyterhealth-client and the guide's examples send), with any
     * parameters. JSON is always UTF-8 (RFC 8259 section 8.1), and a {@code charset} parameter has no effect on a
     * compliant recipient (section 11): the body is read as UTF-8 whatever it says. A body without a type is read as
     * JSON too, as FHIR servers do (nothing else is posted here). Form, text, XML and binary bodies are refused rather
     * than read as if they were JSON.
     */
    public static boolean isFhirJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        MediaType type;
        try {
            type = MediaType.valueOf(contentType);
        } catch (IllegalArgumentException e) {
            return false;
        }
        String essence = (type.getType() + "/" + type.getSubtype()).toLowerCase(Locale.ROOT);
        return essence.equals(FhirMediaTypes.FHIR_JSON) || essence.equals(FhirMediaTypes.JSON);
    }

    static boolean respondAsync(String prefer) {
        return prefer != null && prefer.toLowerCase(Locale.ROOT).contains("respond-async");
    }

    /** {@code Prefer: return=...}: what each created entry carries; the stored resource unless told otherwise. */
    public static ReturnPreference returnPreference(String prefer) {
        String value = prefer == null ? "" : prefer.toLowerCase(Locale.ROOT).replace(" ", "");
        if (value.contains("return=minimal")) {
            return ReturnPreference.MINIMAL;
        }
        return value.contains("return=operationoutcome") ? ReturnPreference.OPERATION_OUTCOME
                : ReturnPreference.REPRESENTATION;
    }
}
