package org.jupyterhealth.exchange.fhir.observation;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Observation;
import org.jupyterhealth.exchange.fhir.access.Caller;
import org.jupyterhealth.exchange.fhir.search.SearchBundles;
import org.jupyterhealth.exchange.fhir.search.SearchRequest;
import org.jupyterhealth.exchange.fhir.web.FhirBasePath;
import org.jupyterhealth.exchange.fhir.web.FhirMediaTypes;
import org.jupyterhealth.exchange.fhir.web.FhirRequest;
import org.jupyterhealth.exchange.fhir.web.SearchInput;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** FHIR Observation search ({@code GET} and {@code POST _search}) and read, under both bases. */
@Path(FhirBasePath.LOWER + "/Observation")
@Authenticated
@Produces({ FhirMediaTypes.FHIR_JSON, FhirMediaTypes.JSON })
public class ObservationResource {
    private final ObservationService observations;
    private final JsonWebToken token;
    private final FhirRequest request;

    public ObservationResource(ObservationService observations, JsonWebToken token, FhirRequest request) {
        this.observations = observations;
        this.token = token;
        this.request = request;
    }

    @GET
    public Uni<Bundle> search(@Context UriInfo uri, @HeaderParam("Prefer") String prefer) {
        return search(SearchInput.of("Observation", uri, prefer), true);
    }

    @POST
    @Path("_search")
    @Consumes(MediaType.WILDCARD)
    public Uni<Bundle> searchByPost(@Context UriInfo uri, @HeaderParam("Prefer") String prefer,
            @Context HttpHeaders headers, String body) {
        return search(SearchInput.ofPost("Observation", uri, prefer, headers.getMediaType(), body), false);
    }

    @GET
    @Path("{id}")
    public Uni<Observation> read(@PathParam("id") String id) {
        return observations.read(Caller.from(token), id);
    }

    private Uni<Bundle> search(SearchRequest search, boolean get) {
        ObservationSearch parsed = ObservationSearch.from(search);
        return observations.search(Caller.from(token), parsed).map(page -> SearchBundles.searchset(request, search,
                get, page.resources(), page.total(), page.next(), page.previous()));
    }
}
