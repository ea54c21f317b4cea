package org.jupyterhealth.exchange.fhir.patient;

import java.util.List;


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
import org.jupyterhealth.exchange.common.audit.AuditAction;
import org.jupyterhealth.exchange.fhir.access.Caller;
import org.jupyterhealth.exchange.fhir.audit.AuditTrail;
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
    private final AuditTrail audit;

    public PatientResource(PatientService patients, JsonWebToken token, FhirRequest request, AuditTrail audit) {
        this.patients = patients;
        this.audit = audit;
        this.token = token;
        this.request = request;
    }

    @GET
    public Uni<Bundle> search(@Context UriInfo uri, @HeaderParam("Prefer") String prefer) {
        return search(SearchInput.of("Patient", uri, prefer), true, uri.getRequestUri().getRawQuery());
    }

    @POST
    @Path("_search")
    @Consumes(MediaType.WILDCARD)
    public Uni<Bundle> searchByPost(@Context UriInfo uri, @HeaderParam("Prefer") String prefer,
            @Context HttpHeaders headers, String body) {
        return search(SearchInput.ofPost("Patient", uri, prefer, headers.getMediaType(), body), false, body);
    }

    @GET
    @Path("{id}")
    public Uni<Patient> read(@PathParam("id") String id) {
        audit.intend(AuditAction.READ, "Patient", id);
        return patients.read(Caller.from(token), id)
                .invoke(patient -> audit.read("Patient", id, AuditTrail.idsOf(List.of(patient))));
    }

    private Uni<Bundle> search(SearchRequest search, boolean get, String auditQuery) {
        audit.intend(AuditAction.SEARCH, "Patient", null);
        PatientSearch parsed = PatientSearch.from(search);
        return patients.search(Caller.from(token), parsed, search)
                .invoke(page -> audit.search("Patient", auditQuery, page.items().size(),
                        AuditTrail.idsOf(page.items())))
                .map(page -> SearchBundles.searchset(request,
                search, get, page.items(), page.total(), page.next(), page.previous()));
    }
}
