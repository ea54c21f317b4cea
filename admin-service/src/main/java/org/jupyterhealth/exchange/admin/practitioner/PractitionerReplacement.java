package org.jupyterhealth.exchange.admin.practitioner;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.web.TextRules;
import org.jupyterhealth.exchange.admin.web.request.AdminRequest;
import org.jupyterhealth.exchange.admin.web.request.EmailAddress;
import org.jupyterhealth.exchange.admin.web.request.Required;
import org.jupyterhealth.exchange.admin.web.request.Text;

/**
 * The body of {@code PUT /practitioners/{id}}: a full replacement carries the e-mail, as a create does; it must be
 * the practitioner's own (its account's sign-in name, which is not changed here).
 */
@Schema(name = "PractitionerReplaceRequest")
public record PractitionerReplacement(
        @Schema(required = true, format = "email", description = "the practitioner's own e-mail, which cannot be "
                + "changed") @Required @EmailAddress @Text(max = TextRules.MAX_EMAIL) String telecomEmail,
        @Text(max = TextRules.MAX_PERSON_NAME) String nameFamily,
        @Text(max = TextRules.MAX_PERSON_NAME) String nameGiven,
        @Schema(description = "makes the practitioner a member of it, as POST does") Long organizationId)
        implements AdminRequest {
}
