package org.jupyterhealth.exchange.identity.oauth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jupyterhealth.exchange.identity.web.PublicUrls;

/** OpenID Connect Discovery 1.0 §3 / RFC 8414 §2: where the endpoints are and what they support. */
@Path("/o/.well-known/openid-configuration")
@PermitAll
public class DiscoveryResource {
    static final List<String> CLIENT_AUTH_METHODS = List.of("client_secret_basic", "client_secret_post");

    private final PublicUrls urls;
    private final List<String> grantTypes;

    public DiscoveryResource(PublicUrls urls, Instance<GrantHandler> handlers) {
        this.urls = urls;
        this.grantTypes = handlers.stream().map(GrantHandler::grantType).sorted().toList();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response configuration() {
        String base = urls.oauthBase();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", urls.issuer());
        document.put("authorization_endpoint", base + "/authorize/");
        document.put("token_endpoint", base + "/token/");
        document.put("userinfo_endpoint", base + "/userinfo/");
        document.put("revocation_endpoint", base + "/revoke_token/");
        document.put("introspection_endpoint", base + "/introspect/");
        document.put("end_session_endpoint", base + "/logout/");
        document.put("prompt_values_supported", List.of("none", "login", "consent", "select_account"));
        document.put("jwks_uri", base + "/.well-known/jwks.json");
        document.put("scopes_supported", Scopes.SUPPORTED);
        document.put("response_types_supported", List.of("code"));
        document.put("response_modes_supported", List.of("query"));
        document.put("grant_types_supported", grantTypes);
        // RFC 7636 §4.2; "plain" is refused (docs/compatibility.md#grants)
        document.put("code_challenge_methods_supported", List.of("S256"));
        document.put("token_endpoint_auth_methods_supported",
                List.of("client_secret_basic", "client_secret_post", "none"));
        document.put("revocation_endpoint_auth_methods_supported",
                List.of("client_secret_basic", "client_secret_post", "none"));
        document.put("introspection_endpoint_auth_methods_supported", CLIENT_AUTH_METHODS);
        document.put("id_token_signing_alg_values_supported", List.of("RS256"));
        document.put("subject_types_supported", List.of("public"));
        document.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "email",
                "email_verified", "given_name", "family_name", "user_type", "is_superuser"));
        return Response.ok(document).header("Cache-Control", "public, max-age=300").build();
    }
}
