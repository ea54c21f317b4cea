package org.jupyterhealth.exchange.admin.user;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.web.TextRules;
import org.jupyterhealth.exchange.admin.web.request.AdminRequest;
import org.jupyterhealth.exchange.admin.web.request.EmailAddress;
import org.jupyterhealth.exchange.admin.web.request.OneOf;
import org.jupyterhealth.exchange.admin.web.request.Text;

/**
 * The body of {@code PATCH /users/{id}}: the names it names change; an e-mail or a type it names is the account's
 * own.
 */
@Schema(name = "UserPatchRequest")
public record UserPatch(
        @Schema(format = "email", description = "the account's own, which cannot be changed")
        @EmailAddress @Text(max = TextRules.MAX_EMAIL) String email,
        @Text(max = TextRules.MAX_PERSON_NAME) String firstName,
        @Text(max = TextRules.MAX_PERSON_NAME) String lastName,
        @Schema(enumeration = { UserService.PRACTITIONER, UserService.PATIENT },
                description = "the account's own type, which cannot be changed")
        @OneOf({ UserService.PRACTITIONER, UserService.PATIENT }) String userType) implements AdminRequest {
}
