package org.jupyterhealth.exchange.admin.openapi;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The request bodies of the admin API, for its OpenAPI document only (resources read bodies by field name, in
 * camelCase or snake_case: docs/compatibility.md#keys).
 */
public final class RequestBodies {
    private RequestBodies() {
    }

    @Schema(name = "ScopeCodeRequest")
    public record ScopeCode(@Schema(required = true) long scopeCodeId) {
    }

    @Schema(name = "DataSourceRequest")
    public record DataSource(@Schema(required = true) String name,
            @Schema(enumeration = { "medical_device", "personal_device", "patient_app" }) String type) {
    }

    @Schema(name = "SettingRequest")
    public record Setting(@Schema(required = true) String key,
            @Schema(enumeration = { "string", "int", "bool", "float", "json" }) String valueType,
            @Schema(required = true) Object value) {
    }

    @Schema(name = "PractitionerRequest")
    public record Practitioner(@Schema(required = true, format = "email",
            description = "on PUT and PATCH the practitioner's own e-mail, which cannot be changed")
            String telecomEmail, String nameFamily, String nameGiven, Long organizationId) {
    }

    @Schema(name = "InvitationRequest")
    public record Invitation(@Schema(required = true) long patientId,
            @Schema(required = true, description = "the patient app's client number") long clientId,
            @Schema(description = "accepted; this version sends no e-mail: pass on the answer's invitationLink")
            boolean sendEmail) {
    }

    @Schema(name = "UserRequest")
    public record User(@Schema(required = true, format = "email",
            description = "the sign-in e-mail; on PUT and PATCH the account's own, which cannot be changed")
            String email, String firstName, String lastName,
            @Schema(enumeration = { "practitioner", "patient" },
                    description = "on PUT and PATCH the account's own type, which cannot be changed")
            String userType) {
    }
}
