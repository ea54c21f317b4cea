package org.jupyterhealth.exchange.fhir.web;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.vertx.ext.web.RoutingContext;

/** A protected endpoint that exists only in tests, to observe how fhir-service treats credentials. */
@Path("/fhir/r5/_test-probe")
@Authenticated
public class AuthenticationProbeResource {
    private final JsonWebToken token;
    private final SecurityIdentity identity;

    public AuthenticationProbeResource(JsonWebToken token, SecurityIdentity identity) {
        this.token = token;
        this.identity = identity;
    }

    /** Whose token authenticated the request, and whether the identity belongs to this very request. */
    @GET
    @Produces(FhirExceptionMapper.FHIR_JSON)
    public Map<String, String> probe(RoutingContext routing) {
        return Map.of("resourceType", "Parameters", "subject", token.getSubject(), "email",
                token.getClaim("email").toString(), "identityOfThisRequest",
                Boolean.toString(HttpSecurityUtils.getRoutingContextAttribute(identity) == routing));
    }
}
