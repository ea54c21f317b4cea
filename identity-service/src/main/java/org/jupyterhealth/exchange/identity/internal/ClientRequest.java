package org.jupyterhealth.exchange.identity.internal;

import java.util.List;

/** {@code POST /internal/clients} and {@code PATCH /internal/clients/{id}} bodies. */
public record ClientRequest(String name, String clientId, String clientType, List<String> grantTypes,
        List<String> redirectUris, String invitationUrl, Long ownerUserId) {
}
