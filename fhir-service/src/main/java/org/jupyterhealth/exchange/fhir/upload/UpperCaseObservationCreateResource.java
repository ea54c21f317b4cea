package org.jupyterhealth.exchange.fhir.upload;

import jakarta.ws.rs.Path;

import org.eclipse.microprofile.jwt.JsonWebToken;

import ca.uhn.fhir.context.FhirContext;
import io.quarkus.security.Authenticated;

/** {@code POST /FHIR/R5/Observation}, the base the newest clients use (DECISIONS #1). */
@Path("/FHIR/R5/Observation")
@Authenticated
public class UpperCaseObservationCreateResource extends ObservationCreateResource {

    public UpperCaseObservationCreateResource(UploadService service, UploadResponses responses, JsonWebToken token,
            FhirContext fhir) {
        super(service, responses, token, fhir);
    }
}
