package org.jupyterhealth.exchange.fhir.patient;

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
import org.hl7.fhir.r5.model.Patient;
import org.jupyterhealth.exchange.fhir.access.Caller;
import org.jupyterhealth.exchange.fhir.search.SearchBundles;
import org.jupyterhealth.exchange.fhir.search.SearchRequest;
import org.jupyterhealth.exchange.fhir.web.FhirBasePath;
import org.jupyterhealth.exchange.fhir.web.FhirMediaTypes;
import org.jupyterhealth.exchange.fhir.web.FhirRequest;
import org.jupyterhealth.exchange.fhir.web.SearchInput;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** FHIR Patient search ({@code GET} and {@code POST _search}) and read, under both bases. */
@Path(FhirBasePath.LOWER + "/Patient")
@Authenticated
@Produces({ FhirMediaTypes.FHIR_JSON, FhirMediaTypes.JSON })
public class PatientResource {
    private final PatientService patients;
    private final JsonWebToken token;
    private final FhirRequest request;

    public PatientResource(PatientService patients, JsonWebToken token, FhirRequest request) {
        this.patients = patients;
        this.token = token;
        this.request = request;
    }

    @GET
    public Uni<Bundle> search(@Context UriInfo uri, @HeaderParam("Prefer") String prefer) {
        return search(SearchInput.of("Patient", uri, prefer), true);
    }

    @POST
    @Path("_search")
    @Consumes(MediaType.WILDCARD)
    public Uni<Bundle> searchByPost(@Context UriInfo uri, @HeaderParam("Prefer") String prefer,
            @Context HttpHeaders headers, String body) {
        return search(SearchInput.ofPost("Patient", uri, prefer, headers.getMediaType(), body), false);
    }

    @GET
    @Path("{id}")
    public Uni<Patient> read(@PathParam("id") String id) {
        return patients.read(Caller.from(token), id);
    }

    private Uni<Bundle> search(SearchRequest search, boolean get) {
        PatientSearch parsed = PatientSearch.from(search);
        return patients.search(Caller.from(token), parsed, search).map(page -> SearchBundles.searchset(request,
                search, get, page.items(), page.total(), page.next(), page.previous()));
    }
}
