package org.jupyterhealth.exchange.admin.client;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.web.TextRules;
import org.jupyterhealth.exchange.admin.web.request.AdminRequest;
import org.jupyterhealth.exchange.admin.web.request.Text;

/**
 * The body of {@code POST}, {@code PUT} and {@code PATCH /clients}. One record serves all three, so what a
 * registration or a replacement must carry is judged by the service rather than by {@code @Required}: a
 * registration's refusal is one sentence naming the three fields and comes only once the caller is known to be a
 * superuser; a replacement's names the missing fields and comes before the caller's right is checked.
 */
@Schema(name = "ClientRequest")
public record ClientRequest(
        @Schema(required = true) String name,
        @Schema(required = true, pattern = "^[A-Za-z0-9._~-]{1,100}$",
                description = "on PUT and PATCH the client's own id, which cannot be changed")
        @Text(max = TextRules.MAX_CLIENT_ID) String clientId,
        @Schema(required = true, description = "CODE is replaced by the invitation") @Text(max = TextRules.MAX_URL)
        String invitationUrl) implements AdminRequest {
}
