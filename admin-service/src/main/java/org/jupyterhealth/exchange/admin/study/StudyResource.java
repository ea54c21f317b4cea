package org.jupyterhealth.exchange.admin.study;

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
import org.jupyterhealth.exchange.admin.patient.PatientResponse;
import org.jupyterhealth.exchange.admin.security.Callers;
import org.jupyterhealth.exchange.admin.study.StudyLinks.ClientLink;
import org.jupyterhealth.exchange.admin.study.StudyLinks.DataSourceLink;
import org.jupyterhealth.exchange.admin.study.StudyLinks.ScopeRequest;
import org.jupyterhealth.exchange.admin.web.Locations;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;
import org.jupyterhealth.exchange.admin.web.Paging;
import org.jupyterhealth.exchange.admin.web.QueryParams;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** {@code /api/v1/studies} and its sub-resources (docs/compatibility.md#studies). */
@Path("/api/v1/studies")
@Authenticated
@Tag(name = "studies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class StudyResource {
    private final StudyService service;
    private final Callers callers;
    private final Paging paging;
    private final Locations locations;

    public StudyResource(StudyService service, Callers callers, Paging paging, Locations locations) {
        this.service = service;
        this.callers = callers;
        this.paging = paging;
        this.locations = locations;
    }

    @GET
    public Uni<Page<StudyResponse>> list(@Context UriInfo uri) {
        Long organizationId = QueryParams.of(uri).id("organization_id");
        PageRequest page = paging.of(uri);
        return callers.current().flatMap(caller -> service.listStudies(caller, organizationId, page));
    }

    @GET
    @Path("/{id}")
    public Uni<StudyResponse> get(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.study(caller, id));
    }

    @POST
    public Uni<Response> create(StudyRequest request) {
        return callers.current().flatMap(caller -> service.createStudy(caller, request))
                .map(study -> locations.created("/api/v1/studies/" + study.id(), study));
    }

    @PUT
    @Path("/{id}")
    public Uni<StudyResponse> replace(@PathParam("id") long id, StudyRequest request) {
        return callers.current().flatMap(caller -> service.updateStudy(caller, id, request, false));
    }

    @PATCH
    @Path("/{id}")
    public Uni<StudyResponse> patch(@PathParam("id") long id, StudyRequest request) {
        return callers.current().flatMap(caller -> service.updateStudy(caller, id, request, true));
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.deleteStudy(caller, id))
                .map(v -> Response.noContent().build());
    }

    @GET
    @Path("/{id}/patients")
    public Uni<Page<PatientResponse>> patients(@PathParam("id") long id, @Context UriInfo uri) {
        PageRequest page = paging.of(uri);
        return callers.current().flatMap(caller -> service.enrolledPatients(caller, id, page));
    }

    /** 201 for the new enrolments (listed at {@code /patients}). */
    @POST
    @Path("/{id}/patients")
    public Uni<Response> enrol(@PathParam("id") long id, PatientIdsRequest request) {
        return callers.current().flatMap(caller -> service.enrolPatients(caller, id, request))
                .map(enrolments -> locations.created("/api/v1/studies/" + id + "/patients", enrolments));
    }

    @DELETE
    @Path("/{id}/patients")
    public Uni<Response> unenrol(@PathParam("id") long id, PatientIdsRequest request) {
        return callers.current().flatMap(caller -> service.removePatients(caller, id, request))
                .map(v -> Response.noContent().build());
    }

    @GET
    @Path("/{id}/scope_requests")
    public Uni<List<ScopeRequest>> scopeRequests(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.scopeRequests(caller, id));
    }

    /** 201 for a new scope request (listed at {@code /scope_requests}). */
    @POST
    @Path("/{id}/scope_requests")
    public Uni<Response> requestScope(@PathParam("id") long id, ScopeCodeRequest request) {
        return callers.current().flatMap(caller -> service.requestScope(caller, id, request))
                .map(scope -> locations.created("/api/v1/studies/" + id + "/scope_requests", scope));
    }

    @DELETE
    @Path("/{id}/scope_requests")
    public Uni<Response> withdrawScope(@PathParam("id") long id, ScopeCodeRequest request) {
        return callers.current().flatMap(caller -> service.withdrawScope(caller, id, request))
                .map(v -> Response.noContent().build());
    }

    @GET
    @Path("/{id}/clients")
    public Uni<List<ClientLink>> clients(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.clients(caller, id));
    }

    /** 201 for a new link (listed at {@code /clients}). */
    @POST
    @Path("/{id}/clients")
    public Uni<Response> linkClient(@PathParam("id") long id, ClientLinkRequest request) {
        return callers.current().flatMap(caller -> service.linkClient(caller, id, request))
                .map(link -> locations.created("/api/v1/studies/" + id + "/clients", link));
    }

    @DELETE
    @Path("/{id}/clients")
    public Uni<Response> unlinkClient(@PathParam("id") long id, ClientLinkRequest request) {
        return callers.current().flatMap(caller -> service.unlinkClient(caller, id, request))
                .map(v -> Response.noContent().build());
    }

    @GET
    @Path("/{id}/data_sources")
    public Uni<List<DataSourceLink>> dataSources(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.dataSources(caller, id));
    }

    /** 201 for a new link (listed at {@code /data_sources}). */
    @POST
    @Path("/{id}/data_sources")
    public Uni<Response> linkDataSource(@PathParam("id") long id, DataSourceLinkRequest request) {
        return callers.current().flatMap(caller -> service.linkDataSource(caller, id, request))
                .map(link -> locations.created("/api/v1/studies/" + id + "/data_sources", link));
    }

    @DELETE
    @Path("/{id}/data_sources")
    public Uni<Response> unlinkDataSource(@PathParam("id") long id, DataSourceLinkRequest request) {
        return callers.current().flatMap(caller -> service.unlinkDataSource(caller, id, request))
                .map(v -> Response.noContent().build());
    }
}
