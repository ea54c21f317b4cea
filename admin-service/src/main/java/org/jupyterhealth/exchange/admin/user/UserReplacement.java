package org.jupyterhealth.exchange.admin.user;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.web.TextRules;
import org.jupyterhealth.exchange.admin.web.request.AdminRequest;
import org.jupyterhealth.exchange.admin.web.request.EmailAddress;
import org.jupyterhealth.exchange.admin.web.request.OneOf;
import org.jupyterhealth.exchange.admin.web.request.Required;
import org.jupyterhealth.exchange.admin.web.request.Text;

/**
 * The body of {@code PUT /users/{id}}: a full replacement carries the e-mail, as a create does; the e-mail and the
 * type must be the account's own (neither is changed here).
 */
@Schema(name = "UserReplaceRequest")
public record UserReplacement(
        @Schema(required = true, format = "email", description = "the account's own, which cannot be changed")
        @Required @EmailAddress @Text(max = TextRules.MAX_EMAIL) String email,
        @Text(max = TextRules.MAX_PERSON_NAME) String firstName,
        @Text(max = TextRules.MAX_PERSON_NAME) String lastName,
        @Schema(enumeration = { UserService.PRACTITIONER, UserService.PATIENT },
                description = "the account's own type, which cannot be changed")
        @OneOf({ UserService.PRACTITIONER, UserService.PATIENT }) String userType) implements AdminRequest {
}
