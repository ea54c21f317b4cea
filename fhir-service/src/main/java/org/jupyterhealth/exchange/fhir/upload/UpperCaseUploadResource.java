package org.jupyterhealth.exchange.fhir.upload;

import jakarta.ws.rs.Path;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.Authenticated;

/** The Bundle upload paths under {@code /FHIR/R5}, the base the newest clients use (DECISIONS #1). */
@Path("/FHIR/R5")
@Authenticated
public class UpperCaseUploadResource extends UploadResource {

    public UpperCaseUploadResource(UploadService service, UploadResponses responses, JsonWebToken token) {
        super(service, responses, token);
    }
}
