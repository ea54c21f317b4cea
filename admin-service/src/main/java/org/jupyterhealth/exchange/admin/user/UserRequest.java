package org.jupyterhealth.exchange.admin.user;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.web.TextRules;
import org.jupyterhealth.exchange.admin.web.request.AdminRequest;
import org.jupyterhealth.exchange.admin.web.request.Text;

/**
 * The body of {@code POST /users}: the e-mail and the type are judged by {@link UserService} once the caller is
 * known to be a superuser, as the original did.
 */
@Schema(name = "UserRequest")
public record UserRequest(
        @Schema(required = true, format = "email", description = "the sign-in e-mail")
        @Text(max = TextRules.MAX_EMAIL) String email,
        @Text(max = TextRules.MAX_PERSON_NAME) String firstName,
        @Text(max = TextRules.MAX_PERSON_NAME) String lastName,
        @Schema(enumeration = { UserService.PRACTITIONER, UserService.PATIENT }) String userType)
        implements AdminRequest {
}
