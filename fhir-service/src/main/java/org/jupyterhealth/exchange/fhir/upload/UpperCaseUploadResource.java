package org.jupyterhealth.exchange.fhir.upload;

import jakarta.ws.rs.Path;

import org.eclipse.microprofile.jwt.JsonWebToken;

import ca.uhn.fhir.context.FhirContext;
import io.quarkus.security.Authenticated;

/** The upload paths under {@code /FHIR/R5}, the base the newest clients use (DECISIONS #1): identical behaviour. */
@Path("/FHIR/R5")
@Authenticated
public class UpperCaseUploadResource extends UploadResource {

    public UpperCaseUploadResource(UploadService service, UploadResponses responses, JsonWebToken token,
            FhirContext fhir) {
        super(service, responses, token, fhir);
    }

    @Override
    protected String basePath() {
        return "FHIR/R5";
    }
}
