package org.jupyterhealth.exchange.console.web;

import java.util.Map;

/**
 * What a page says after a change it was sent back to: the address names a notice by key, never by text, so that
 * no link can make a page say something else.
 */
final class Notices {
    private static final Map<String, String> TEXTS = Map.ofEntries(
            Map.entry("member-removed", "The member was removed."),
            Map.entry("member-added", "The practitioner is a member now, with the role chosen."),
            Map.entry("consent-granted", "The consent was recorded."),
            Map.entry("consent-revoked", "The consent was revoked: the study no longer sees this type of data."),
            Map.entry("patient-enrolled", "The patient is enrolled in the study."),
            Map.entry("patient-removed", "The patient was taken out of the study."),
            Map.entry("scope-added", "The study asks for this type of data now."),
            Map.entry("scope-removed", "The study no longer asks for this type of data."),
            Map.entry("data-source-added", "The data source is linked to the study."),
            Map.entry("data-source-removed", "The data source is no longer linked to the study."),
            Map.entry("client-added", "The app is linked to the study."),
            Map.entry("client-removed", "The app is no longer linked to the study."),
            Map.entry("patient-created", "The patient was added to the organization."),
            Map.entry("data-source-created", "The data source was added."),
            Map.entry("data-source-deleted", "The data source was deleted."),
            Map.entry("setting-changed", "The setting was changed."),
            Map.entry("client-created", "The app was registered."),
            Map.entry("client-changed", "The app was changed."),
            Map.entry("client-deleted", "The app was deleted."),
            Map.entry("client-data-source-added", "The data source is linked to the app."),
            Map.entry("client-data-source-removed", "The data source is no longer linked to the app."),
            Map.entry("practitioner-created",
                    "The practitioner was added. A new account gets its activation link by e-mail."),
            Map.entry("practitioner-created-here", "The practitioner was added."),
            Map.entry("practitioner-changed", "The practitioner's names were changed."));

    private Notices() {
    }

    static String text(String key) {
        return key == null ? null : TEXTS.get(key);
    }
}
