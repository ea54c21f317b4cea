package org.jupyterhealth.exchange.admin.study;

import java.util.Optional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.web.TextRules;
import org.jupyterhealth.exchange.admin.web.request.AdminRequest;
import org.jupyterhealth.exchange.admin.web.request.Text;

/**
 * The body of {@code POST}, {@code PUT} and {@code PATCH /studies}. The organization comes as {@code organization}
 * (the original's name) or {@code organizationId}; what a create or replacement must carry is judged by the service,
 * which names the organization as {@code organization}. {@code iconUrl} absent keeps the icon; given as
 * {@code null} or empty (a form's empty field), it clears it.
 */
@Schema(name = "StudyRequest")
public record StudyRequest(
        @Schema(required = true) String name,
        @Schema(required = true) @Text(max = TextRules.MAX_TEXT, multiline = true) String description,
        @Schema(required = true, description = "organization id") Long organization,
        @Schema(hidden = true) Long organizationId,
        @Schema(implementation = String.class) @Text(max = TextRules.MAX_URL) Optional<String> iconUrl)
        implements AdminRequest {

    /** The organization named, under either spelling ({@code organization} first). */
    public Long organizationGiven() {
        return organization != null ? organization : organizationId;
    }
}
