package org.jupyterhealth.exchange.admin.fhirsource;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;

/**
 * A FHIR source for the resource store (docs/internal-api.md): fhir-service and ingest-service learn from it whose
 * resources a write through the source carries, for service tokens only.
 */
@Path("/internal/fhir_sources")
@RolesAllowed("internal")
@Produces(MediaType.APPLICATION_JSON)
public class InternalFhirSourceResource {
    private final FhirSourceService service;

    public InternalFhirSourceResource(FhirSourceService service) {
        this.service = service;
    }

    @GET
    @Path("/{id}")
    @Operation(hidden = true)
    public Uni<FhirSourceRecord> source(@PathParam("id") long id) {
        return service.record(id);
    }
}
