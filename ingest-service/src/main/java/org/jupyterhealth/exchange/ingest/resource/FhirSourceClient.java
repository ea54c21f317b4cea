package org.jupyterhealth.exchange.ingest.resource;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.smallrye.mutiny.Uni;

/**
 * admin-service's FHIR sources ({@code docs/internal-api.md}): whose a source is, and of which data source. Called
 * with ingest-service's own client-credentials token; a 404 is an unknown source.
 */
@RegisterRestClient(configKey = "admin")
@Path("/internal/fhir_sources")
@OidcClientFilter
public interface FhirSourceClient {

    @GET
    @Path("/{id}")
    Uni<FhirSource> find(@PathParam("id") long id);

    /** A FHIR source: one patient's connection to a FHIR server, through one data source. */
    record FhirSource(Long id, Long patientId, Long dataSourceId, String label, String fhirBaseUrl) {
    }
}
