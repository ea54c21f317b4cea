package org.jupyterhealth.exchange.console.web;

import java.util.Map;

/**
 * What a page says after a change it was sent back to: the address names a notice by key, never by text, so that
 * no link can make a page say something else.
 */
final class Notices {
    private static final Map<String, String> TEXTS = Map.of("member-removed", "The member was removed.",
            "member-added", "The practitioner is a member now, with the role chosen.",
            "consent-granted", "The consent was recorded.",
            "consent-revoked", "The consent was revoked: the study no longer sees this type of data.");

    private Notices() {
    }

    static String text(String key) {
        return key == null ? null : TEXTS.get(key);
    }
}
