package org.jupyterhealth.exchange.fhir.observation;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jupyterhealth.exchange.common.audit.AuditAction;
import org.jupyterhealth.exchange.common.fhir.ResourceStore;
import org.jupyterhealth.exchange.common.web.RequestIds;
import org.jupyterhealth.exchange.fhir.access.Caller;
import org.jupyterhealth.exchange.fhir.audit.AuditTrail;
import org.jupyterhealth.exchange.fhir.resource.StoreByUuidResource;
import org.jupyterhealth.exchange.fhir.resource.StoreHttp;
import org.jupyterhealth.exchange.fhir.search.SearchRequest;
import org.jupyterhealth.exchange.fhir.search.SearchsetJson;
import org.jupyterhealth.exchange.fhir.upload.ObservationDeletion;
import org.jupyterhealth.exchange.fhir.web.FhirBasePath;
import org.jupyterhealth.exchange.fhir.web.FhirMediaTypes;
import org.jupyterhealth.exchange.fhir.web.FhirRequest;
import org.jupyterhealth.exchange.fhir.web.SearchInput;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * FHIR Observation search ({@code GET} and {@code POST _search}) and read, under both bases. Searchsets are
 * written by {@link SearchsetJson} and {@link ObservationJson} (HAPI FHIR's exact output, faster); reads through
 * the HAPI model.
 */
@Path(FhirBasePath.LOWER + "/Observation")
@Authenticated
@Produces({ FhirMediaTypes.FHIR_JSON, FhirMediaTypes.JSON })
public class ObservationResource extends StoreByUuidResource {
    /** Pages larger than this are written on a worker thread, not on the event loop. */
    private static final int LARGE_PAGE = 200;
    private static final MediaType FHIR_JSON = MediaType.valueOf(FhirMediaTypes.FHIR_JSON);
    private static final String SERIES = "$series";

    private final ObservationService observations;
    private final JsonWebToken token;
    private final FhirRequest request;
    private final ObservationDeletion deletion;
    private final AuditTrail audit;

    public ObservationResource(ObservationService observations, JsonWebToken token, FhirRequest request,
            ObservationDeletion deletion, AuditTrail audit, StoreHttp store) {
        super(store, "Observation");
        this.observations = observations;
        this.audit = audit;
        this.deletion = deletion;
        this.token = token;
        this.request = request;
    }

    @GET
    public Uni<Response> search(@Context UriInfo uri, @HeaderParam("Prefer") String prefer,
            @Context HttpHeaders headers) {
        return search(SearchInput.of("Observation", uri, prefer), true, headers, uri.getRequestUri().getRawQuery());
    }

    @POST
    @Path("_search")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> searchByPost(@Context UriInfo uri, @HeaderParam("Prefer") String prefer,
            @Context HttpHeaders headers, String body) {
        return search(SearchInput.ofPost("Observation", uri, prefer, headers.getMediaType(), body), false, headers,
                body);
    }

    /**
     * {@code $series}: one patient's observations of one code over a range of clinical time, reduced to time buckets
     * ({@link ObservationSeriesJson}), for plots: {@code patient}, {@code code}, {@code date=ge…} and
     * {@code date=lt…} (or {@code gt}, {@code le}) are required, {@code _buckets} (1 to 2000, 1000 by default) says
     * how many buckets the range is cut into. The parameters are those of a search and are checked as a search's
     * are; access, consent and the audit event are exactly the search's (a search of the same parameters, counting
     * the observations summarized).
     */
    private Uni<Response> series(UriInfo uri) {
        audit.intend(AuditAction.SEARCH, "Observation", null);
        SearchRequest search = SearchInput.of("Observation", uri, null);
        ObservationSearch parsed = ObservationSearch.from(search);
        SeriesRange range = SeriesRange.of(search, parsed);
        String auditQuery = uri.getRequestUri().getRawQuery();
        return observations.series(Caller.from(token), parsed, range.from(), range.to(), range.buckets())
                .invoke(rows -> {
                    long count = ObservationSeriesJson.observations(rows);
                    audit.search("Observation", auditQuery, (int) count,
                            count == 0 ? List.of() : List.of(range.patientId()));
                })
                .map(rows -> Response.ok(ObservationSeriesJson.write(rows, range.buckets()),
                        MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build());
    }

    /** An integer id reads the Open mHealth store; a UUID the FHIR resource store. */
    @GET
    @Path("{id}")
    public Uni<Response> read(@PathParam("id") String id, @Context UriInfo uri) {
        // the operation is dispatched here, not by a path of its own: "$" in a path template is a regular
        // expression's end of input, and a client may send it encoded (%24), so neither a literal nor a pattern
        // path matched it reliably
        if (SERIES.equals(id)) {
            return series(uri);
        }
        audit.intend(AuditAction.READ, "Observation", id);
        if (ResourceStore.isStoreId(id)) {
            return store.read("Observation", id);
        }
        return observations.read(Caller.from(token), id)
                .invoke(observation -> audit.read("Observation", id, AuditTrail.subjectOf(observation.getSubject())))
                .map(observation -> Response.ok(observation).build());
    }

    /**
     * A patient deletes one of its own observations ({@link ObservationDeletion}): 204 (a stored Observation, by UUID,
     * is deleted as the FHIR resource store's resources are).
     */
    @Override
    protected Uni<Response> deleteOwn(String id, String requestId) {
        audit.intend(AuditAction.DELETE, "Observation", id);
        return deletion.delete(Caller.from(token), id, RequestIds.acceptOrGenerate(requestId), request.baseUrl(),
                false);
    }

    @Override
    protected String notWritableReason() {
        return "Observations of the Open mHealth store cannot be updated.";
    }

    /**
     * A search of the Open mHealth store, or, when its {@code _source} names FHIR sources, of the Observations the
     * resource store keeps (one store per search).
     */
    private Uni<Response> search(SearchRequest search, boolean get, HttpHeaders headers, String auditQuery) {
        if (StoreHttp.choosesStore(search)) {
            return store.search("Observation", search, get, auditQuery);
        }
        audit.intend(AuditAction.SEARCH, "Observation", null);
        ObservationSearch parsed = ObservationSearch.from(search);
        MediaType type = responseType(headers);
        return observations.search(Caller.from(token), parsed)
                .invoke(page -> audit.search("Observation", auditQuery, page.resources().size(),
                        page.resources().stream().map(r -> r.row().patientId()).distinct().toList()))
                .chain(page -> page.resources().size() > LARGE_PAGE
                        ? Uni.createFrom().item(page).emitOn(Infrastructure.getDefaultWorkerPool())
                        : Uni.createFrom().item(page))
                .map(page -> Response.ok(SearchsetJson.write(request, search, get, "Observation", page.resources(),
                        r -> r.row().id(), ObservationJson::write, page.total(), page.next(), page.previous()), type)
                        .build());
    }

    /** {@code application/fhir+json} unless the client accepts only plain JSON. */
    private static MediaType responseType(HttpHeaders headers) {
        List<MediaType> accepted = headers.getAcceptableMediaTypes();
        for (MediaType media : accepted) {
            if (media.isCompatible(FHIR_JSON)) {
                return FHIR_JSON;
            }
            if (media.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                return MediaType.APPLICATION_JSON_TYPE;
            }
        }
        throw new NotAcceptableException();
    }
}
