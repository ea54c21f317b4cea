package org.jupyterhealth.exchange.admin.practitioner;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.web.TextRules;
import org.jupyterhealth.exchange.admin.web.request.AdminRequest;
import org.jupyterhealth.exchange.admin.web.request.Text;

/**
 * The body of {@code POST /practitioners}: the e-mail signs the new account in (judged by {@link PractitionerService}
 * with the create's own wording); {@code organizationId} makes it a member there.
 */
@Schema(name = "PractitionerRequest")
public record PractitionerRequest(
        @Schema(required = true, format = "email") @Text(max = TextRules.MAX_EMAIL) String telecomEmail,
        @Text(max = TextRules.MAX_PERSON_NAME) String nameFamily,
        @Text(max = TextRules.MAX_PERSON_NAME) String nameGiven,
        Long organizationId) implements AdminRequest {
}
