package org.jupyterhealth.exchange.admin.consent;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.web.request.AdminRequest;
import org.jupyterhealth.exchange.admin.web.request.ObjectList;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * The body of {@code POST}, {@code PATCH} and {@code DELETE /patients/{id}/consents}:
 * {@code {"studyScopeConsents": [{studyId, scopeConsents: [{codingSystem, codingCode, consented}]}]}}. What each
 * item must carry is judged by the service, which names the item's field ({@code studyScopeConsents[0].studyId}) so
 * that a client can tell which of several items it must fix.
 */
@Schema(name = "ConsentsRequest")
public record ConsentsRequest(
        @Schema(required = true) @JsonDeserialize(using = ObjectList.class)
        List<StudyScopeConsents> studyScopeConsents) implements AdminRequest {

    /** The decisions on the data types of one study. */
    @Schema(name = "StudyScopeConsentsRequest")
    public record StudyScopeConsents(Long studyId,
            @JsonDeserialize(using = ObjectList.class) List<ScopeConsent> scopeConsents) {
    }

    /** A decision on one data type: {@code consented} is required, except to withdraw it. */
    @Schema(name = "ScopeConsentRequest")
    public record ScopeConsent(String codingSystem, String codingCode, Boolean consented) {
    }
}
