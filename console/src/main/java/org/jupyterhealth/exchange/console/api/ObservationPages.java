package org.jupyterhealth.exchange.console.api;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/**
 * The FHIR API's Observation search, page by page, as raw searchset bytes for the console's streaming reader. Unlike
 * {@link FhirApi}, the caller hands the user's token in: the pages of a plot are asked for one after another from
 * worker threads, where the request's identity is not at hand, so it is taken once on the request's thread.
 */
@RegisterRestClient(configKey = "fhir")
@Path("/fhir/r5")
@Produces("application/fhir+json")
public interface ObservationPages {

    /**
     * One page of a patient's observations of one code, in clinical-time order, without the total (not needed, and
     * not free); {@code cursor} is null for the first page.
     */
    @GET
    @Path("/Observation")
    Uni<byte[]> page(@HeaderParam("Authorization") String authorization, @QueryParam("patient") long patientId,
            @QueryParam("code") String code, @QueryParam("date") List<String> dates, @QueryParam("_sort") String sort,
            @QueryParam("_count") int count, @QueryParam("_total") String total,
            @QueryParam("_cursor") String cursor);

    /**
     * A patient's observations of one code over [{@code dates}) reduced by the FHIR API to {@code buckets} time
     * buckets (count, least, greatest and mean value of each quantity per bucket), under the same access rules,
     * consent checks and audit as the search.
     */
    @GET
    @Path("/Observation/$series")
    @Produces("application/json")
    Uni<byte[]> series(@HeaderParam("Authorization") String authorization, @QueryParam("patient") long patientId,
            @QueryParam("code") String code, @QueryParam("date") List<String> dates,
            @QueryParam("_buckets") int buckets);
}
