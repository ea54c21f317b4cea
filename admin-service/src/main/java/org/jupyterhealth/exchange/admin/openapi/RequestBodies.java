package org.jupyterhealth.exchange.admin.openapi;

import java.time.LocalDate;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The request bodies of the admin API, for its OpenAPI document only (resources read bodies by field name, in
 * camelCase or snake_case: docs/compatibility.md#keys).
 */
public final class RequestBodies {
    private RequestBodies() {
    }

    @Schema(name = "PatientIdentifierRequest")
    public record Identifier(String system, String value) {
    }

    @Schema(name = "PatientRequest")
    public record Patient(@Schema(description = "required on create") Long organizationId,
            @Schema(description = "required on create; on update the patient's own e-mail, which cannot be changed",
                    format = "email") String telecomEmail,
            String nameFamily, String nameGiven,
            LocalDate birthDate, String telecomPhone,
            @Schema(description = "replaces all identifiers on update") List<Identifier> identifiers) {
    }

    @Schema(name = "StudyRequest")
    public record Study(@Schema(required = true) String name, @Schema(required = true) String description,
            @Schema(required = true, description = "organization id") Long organization, String iconUrl) {
    }

    @Schema(name = "PatientIdsRequest")
    public record PatientIds(@Schema(required = true, description = "a list, also of one id") List<Long> patientIds) {
    }

    @Schema(name = "ScopeCodeRequest")
    public record ScopeCode(@Schema(required = true) long scopeCodeId) {
    }

    @Schema(name = "ClientLinkRequest")
    public record ClientLink(@Schema(required = true, description = "the client's number") long clientId) {
    }

    @Schema(name = "DataSourceLinkRequest")
    public record DataSourceLink(@Schema(required = true) long dataSourceId) {
    }

    @Schema(name = "ScopeConsentRequest")
    public record ScopeConsent(String codingSystem, String codingCode, Boolean consented) {
    }

    @Schema(name = "StudyScopeConsentsRequest")
    public record StudyScopeConsents(long studyId, List<ScopeConsent> scopeConsents) {
    }

    @Schema(name = "ConsentsRequest")
    public record Consents(@Schema(required = true) List<StudyScopeConsents> studyScopeConsents) {
    }

    @Schema(name = "ClientRequest")
    public record Client(@Schema(required = true) String name,
            @Schema(required = true, pattern = "^[A-Za-z0-9._~-]{1,100}$",
                    description = "on PUT and PATCH the client's own id, which cannot be changed") String clientId,
            @Schema(required = true, description = "CODE is replaced by the invitation") String invitationUrl) {
    }

    @Schema(name = "PractitionerClientRequest")
    public record PractitionerClient(String label) {
    }

    @Schema(name = "InvitationRequest")
    public record Invitation(@Schema(required = true) long patientId,
            @Schema(required = true, description = "the patient app's client number") long clientId,
            @Schema(description = "accepted; this version sends no e-mail: pass on the answer's invitationLink")
            boolean sendEmail) {
    }
}
