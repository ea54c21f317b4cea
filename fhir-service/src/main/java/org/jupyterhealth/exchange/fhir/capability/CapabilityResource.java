package org.jupyterhealth.exchange.fhir.capability;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Response;

import org.jupyterhealth.exchange.fhir.web.FhirBasePath;
import org.jupyterhealth.exchange.fhir.web.FhirMediaTypes;
import org.jupyterhealth.exchange.fhir.web.FhirRequest;

/**
 * FHIR discovery, public like the original's: the CapabilityStatement at {@code metadata} and
 * the SMART configuration, both written for the host, scheme and base the client used.
 */
@Path(FhirBasePath.LOWER)
@PermitAll
public class CapabilityResource {
    private static final CacheControl ONE_HOUR = cacheControl();

    private final CapabilityStatements statements;
    private final FhirRequest request;

    public CapabilityResource(CapabilityStatements statements, FhirRequest request) {
        this.statements = statements;
        this.request = request;
    }

    @GET
    @Path("metadata")
    @Produces({ FhirMediaTypes.FHIR_JSON, FhirMediaTypes.JSON })
    public Response metadata() {
        return Response.ok(statements.forBase(request.origin(), request.baseUrl())).cacheControl(ONE_HOUR).build();
    }

    @GET
    @Path(".well-known/smart-configuration")
    @Produces(FhirMediaTypes.JSON)
    public Response smartConfiguration() {
        String origin = request.origin();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("issuer", origin + "/o");
        body.put("jwks_uri", origin + "/o/.well-known/jwks.json");
        body.put("authorization_endpoint", origin + "/o/authorize/");
        body.put("token_endpoint", origin + "/o/token/");
        body.put("revocation_endpoint", origin + "/o/revoke_token/");
        body.put("introspection_endpoint", origin + "/o/introspect/");
        body.put("userinfo_endpoint", origin + "/o/userinfo/");
        body.put("grant_types_supported", List.of("authorization_code", "refresh_token", "client_credentials"));
        body.put("response_types_supported", List.of("code"));
        body.put("code_challenge_methods_supported", List.of("S256"));
        body.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        body.put("scopes_supported", List.of("openid", "email", "read", "write", "offline_access"));
        body.put("capabilities", List.of("launch-standalone", "client-public", "client-confidential-symmetric",
                "sso-openid-connect"));
        return Response.ok(body).cacheControl(ONE_HOUR).build();
    }

    private static CacheControl cacheControl() {
        CacheControl cache = new CacheControl();
        cache.setNoTransform(false);
        cache.setPrivate(false);
        cache.setMaxAge(3600);
        return cache;
    }
}
