package org.jupyterhealth.exchange.fhir.access;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.oidc.client.filter.OidcClientFilter;
import io.smallrye.mutiny.Uni;

/**
 * admin-service's internal endpoints (docs/internal-api.md), called with fhir-service's own client-credentials
 * token; the user asked about is a parameter, never the user's token.
 */
@RegisterRestClient(configKey = "admin-service")
@OidcClientFilter
@Path("/internal")
@Produces(MediaType.APPLICATION_JSON)
public interface AdminClient {

    @GET
    @Path("/access/observations")
    Uni<ObservationGrants.Answer> observationAccess(@QueryParam("userId") long userId,
            @QueryParam("organizationId") Long organizationId, @QueryParam("studyId") Long studyId,
            @QueryParam("patientId") Long patientId);

    @GET
    @Path("/access/patients")
    Uni<JsonNode> patientAccess(@QueryParam("userId") long userId, @QueryParam("organizationId") Long organizationId,
            @QueryParam("studyId") Long studyId, @QueryParam("patientId") Long patientId);

    @GET
    @Path("/patients")
    Uni<JsonNode> patients(@QueryParam("ids") String ids);

    @GET
    @Path("/studies")
    Uni<JsonNode> studies(@QueryParam("userId") long userId, @QueryParam("count") int count);

    @GET
    @Path("/organizations")
    Uni<JsonNode> organizations(@QueryParam("userId") long userId, @QueryParam("count") int count);

    @GET
    @Path("/data-sources")
    Uni<JsonNode> dataSources(@QueryParam("userId") long userId, @QueryParam("count") int count);

    @GET
    @Path("/practitioners")
    Uni<JsonNode> practitioners(@QueryParam("userId") long userId, @QueryParam("count") int count);

    @GET
    @Path("/codes")
    Uni<JsonNode> codes();
}
