package org.jupyterhealth.exchange.fhir.upload;

import java.util.Locale;

import org.eclipse.microprofile.jwt.JsonWebToken;

/** What the upload resources share: the uploader and the asynchronous answer's preference. */
final class UploadHttp {

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
}
