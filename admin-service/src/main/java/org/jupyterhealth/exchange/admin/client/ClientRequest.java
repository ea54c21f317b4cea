package org.jupyterhealth.exchange.admin.client;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.web.TextRules;
import org.jupyterhealth.exchange.admin.web.request.AdminRequest;
import org.jupyterhealth.exchange.admin.web.request.Text;

/**
 * The body of {@code POST}, {@code PUT} and {@code PATCH /clients}. What a registration or a replacement must carry
 * is judged by the service, with the messages the clients API has always given: a registration only once the caller
 * is known to be a superuser, a replacement before.
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
