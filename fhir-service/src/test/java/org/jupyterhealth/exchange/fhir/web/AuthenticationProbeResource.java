package org.jupyterhealth.exchange.fhir.web;

import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.Authenticated;

/** A protected endpoint that exists only in tests, to observe how fhir-service treats credentials. */
@Path("/fhir/r5/_test-probe")
@Authenticated
public class AuthenticationProbeResource {
    private final JsonWebToken token;

    public AuthenticationProbeResource(JsonWebToken token) {
        this.token = token;
    }

    /** Whose token authenticated the request. */
    @GET
    @Produces(FhirExceptionMapper.FHIR_JSON)
    public Map<String, String> probe() {
        return Map.of("resourceType", "Parameters", "subject", token.getSubject(), "email",
                token.getClaim("email").toString());
    }
}
