package org.jupyterhealth.exchange.identity.oauth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jupyterhealth.exchange.identity.config.IdentityConfig;

/** OpenID Connect Discovery 1.0 §4 / RFC 8414: where the endpoints are and what they support. */
@Path("/o/.well-known/openid-configuration")
@PermitAll
public class DiscoveryResource {
    private final IdentityConfig config;

    public DiscoveryResource(IdentityConfig config) {
        this.config = config;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> configuration() {
        String base = config.issuer();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", base);
        document.put("token_endpoint", base + "/token/");
        document.put("jwks_uri", base + "/.well-known/jwks.json");
        document.put("scopes_supported", Scopes.SUPPORTED);
        document.put("response_types_supported", List.of("code"));
        document.put("grant_types_supported", List.of(PasswordGrantHandler.GRANT));
        document.put("token_endpoint_auth_methods_supported",
                List.of("client_secret_basic", "client_secret_post", "none"));
        document.put("id_token_signing_alg_values_supported", List.of("RS256"));
        document.put("subject_types_supported", List.of("public"));
        return document;
    }
}
