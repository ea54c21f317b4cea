package org.jupyterhealth.exchange.admin.practitioner;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.web.TextRules;
import org.jupyterhealth.exchange.admin.web.request.AdminRequest;
import org.jupyterhealth.exchange.admin.web.request.EmailAddress;
import org.jupyterhealth.exchange.admin.web.request.Text;

/**
 * The body of {@code PATCH /practitioners/{id}}: what it names changes; an e-mail it names is the practitioner's
 * own.
 */
@Schema(name = "PractitionerPatchRequest")
public record PractitionerPatch(
        @Schema(format = "email", description = "the practitioner's own e-mail, which cannot be changed")
        @EmailAddress @Text(max = TextRules.MAX_EMAIL) String telecomEmail,
        @Text(max = TextRules.MAX_PERSON_NAME) String nameFamily,
        @Text(max = TextRules.MAX_PERSON_NAME) String nameGiven,
        @Schema(description = "makes the practitioner a member of it, as POST does") Long organizationId)
        implements AdminRequest {
}
