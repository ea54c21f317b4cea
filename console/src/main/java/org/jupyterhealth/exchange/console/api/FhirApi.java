package org.jupyterhealth.exchange.console.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;

/** The FHIR API ({@code /fhir/r5}) with the signed-in user's access token ({@link UserToken}). */
@RegisterRestClient(configKey = "fhir")
@RegisterClientHeaders(UserToken.class)
@Path("/fhir/r5")
@Produces("application/fhir+json")
public interface FhirApi {

    /** How many observations of the patient the user may read: a searchset with its total and no entries. */
    @GET
    @Path("/Observation")
    Uni<JsonNode> countObservations(@QueryParam("patient") long patientId,
            @QueryParam("_summary") String summary);

    /**
     * A page of the audit trail, newest first: a patient gets the accesses to its own data whatever it asks, a
     * superuser those about {@code patientId} (all when null), anyone else a 403. {@code cursor}: the {@code _cursor}
     * of the page before's next link, or null for the newest page.
     */
    @GET
    @Path("/AuditEvent")
    Uni<JsonNode> auditEvents(@QueryParam("patient") Long patientId, @QueryParam("_count") int count,
            @QueryParam("_cursor") String cursor);
}
