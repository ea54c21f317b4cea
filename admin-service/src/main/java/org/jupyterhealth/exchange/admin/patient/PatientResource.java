package org.jupyterhealth.exchange.admin.patient;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jupyterhealth.exchange.admin.patient.PatientRepository.Filter;
import org.jupyterhealth.exchange.admin.security.Callers;
import org.jupyterhealth.exchange.admin.web.Locations;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;
import org.jupyterhealth.exchange.admin.web.Paging;
import org.jupyterhealth.exchange.admin.web.QueryParams;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** {@code /api/v1/patients} (docs/compatibility.md#patients); consents and invitations have their own resources. */
@Path("/api/v1/patients")
@Authenticated
@Tag(name = "patients")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PatientResource {
    private final PatientService service;
    private final Callers callers;
    private final Paging paging;
    private final Locations locations;

    public PatientResource(PatientService service, Callers callers, Paging paging, Locations locations) {
        this.service = service;
        this.callers = callers;
        this.paging = paging;
        this.locations = locations;
    }

    @GET
    public Uni<Page<PatientResponse>> list(@Context UriInfo uri) {
        QueryParams q = QueryParams.of(uri);
        Filter filter = new Filter(q.id("organization_id"), q.id("study_id"), q.id("patient_id"),
                q.string("patient_identifier_value"), PatientRepository.search(q.string("search")),
                PatientRepository.Ordering.parse(q.string("ordering")));
        PageRequest page = paging.of(uri);
        return callers.current().flatMap(caller -> service.listPatients(caller, filter, page));
    }

    @GET
    @Path("/me")
    public Uni<PatientResponse> me() {
        return callers.current().flatMap(service::me);
    }

    @GET
    @Path("/global_lookup")
    public Uni<List<PatientMatch>> globalLookup(@Context UriInfo uri) {
        String email = QueryParams.of(uri).string("email");
        return callers.current().flatMap(caller -> service.globalLookup(caller, email));
    }

    @GET
    @Path("/{id}")
    public Uni<PatientResponse> get(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.patient(caller, id));
    }

    @POST
    public Uni<Response> create(PatientRequest request) {
        return callers.current().flatMap(caller -> service.createPatient(caller, request))
                .map(p -> locations.created("/api/v1/patients/" + p.id(), p));
    }

    @PUT
    @Path("/{id}")
    public Uni<PatientResponse> replace(@PathParam("id") long id, @Context UriInfo uri, PatientRequest request) {
        Long organizationId = QueryParams.of(uri).id("organization_id");
        return callers.current()
                .flatMap(caller -> service.updatePatient(caller, id, organizationId, request, false));
    }

    @PATCH
    @Path("/{id}")
    public Uni<PatientResponse> patch(@PathParam("id") long id, @Context UriInfo uri, PatientRequest request) {
        Long organizationId = QueryParams.of(uri).id("organization_id");
        return callers.current()
                .flatMap(caller -> service.updatePatient(caller, id, organizationId, request, true));
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") long id, @Context UriInfo uri) {
        Long organizationId = QueryParams.of(uri).id("organization_id");
        return callers.current().flatMap(caller -> service.deletePatient(caller, id, organizationId))
                .map(v -> Response.noContent().build());
    }

    @GET
    @Path("/{id}/consolidated_clients")
    public Uni<List<ConsolidatedClientResponse>> consolidatedClients(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.consolidatedClients(caller, id));
    }

    @PATCH
    @Path("/{id}/global_add_organization")
    public Uni<PatientResponse> addToOrganization(@PathParam("id") long id, @Context UriInfo uri) {
        Long organizationId = QueryParams.of(uri).id("organization_id");
        return callers.current().flatMap(caller -> service.addToOrganization(caller, id, organizationId));
    }
}
