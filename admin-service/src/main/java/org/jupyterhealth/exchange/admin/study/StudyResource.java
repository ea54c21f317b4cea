package org.jupyterhealth.exchange.admin.study;

import java.util.List;
import java.util.Map;

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
import org.jupyterhealth.exchange.admin.config.AdminConfig;
import org.jupyterhealth.exchange.admin.patient.PatientResponse;
import org.jupyterhealth.exchange.admin.security.Callers;
import org.jupyterhealth.exchange.admin.study.StudyService.ScopeRequest;
import org.jupyterhealth.exchange.admin.study.StudyService.StudyChange;
import org.jupyterhealth.exchange.admin.web.Body;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;
import org.jupyterhealth.exchange.admin.web.Paging;
import org.jupyterhealth.exchange.admin.web.QueryParams;
import org.jupyterhealth.exchange.admin.web.TextRules;
import org.jupyterhealth.exchange.admin.web.UrlRules;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jupyterhealth.exchange.admin.openapi.RequestBodies;

import com.fasterxml.jackson.databind.JsonNode;

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
    private final AdminConfig config;

    public StudyResource(StudyService service, Callers callers, Paging paging, AdminConfig config) {
        this.service = service;
        this.callers = callers;
        this.paging = paging;
        this.config = config;
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

    private StudyChange change(Body body) {
        Long organization = body.id("organization");
        if (organization == null) {
            organization = body.id("organizationId");
        }
        // an empty icon URL (a form's empty field) clears the icon
        String iconUrl = body.string("iconUrl", TextRules.MAX_URL);
        if (iconUrl != null && iconUrl.isBlank()) {
            iconUrl = null;
        } else if (iconUrl != null) {
            iconUrl = UrlRules.check("iconUrl", iconUrl, config.allowLocalHttpUrls());
        }
        return new StudyChange(body.string("name"), body.multiline("description", TextRules.MAX_TEXT), organization,
                iconUrl, body.has("iconUrl"));
    }

    @POST
    public Uni<Response> create(@RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.Study.class))) JsonNode json) {
        StudyChange change = change(Body.of(json));
        return callers.current().flatMap(caller -> service.createStudy(caller, change))
                .map(study -> Response.status(201).entity(study).build());
    }

    @PUT
    @Path("/{id}")
    public Uni<StudyResponse> replace(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.Study.class))) JsonNode json) {
        StudyChange change = change(Body.of(json));
        return callers.current().flatMap(caller -> service.updateStudy(caller, id, change, false));
    }

    @PATCH
    @Path("/{id}")
    public Uni<StudyResponse> patch(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.Study.class))) JsonNode json) {
        StudyChange change = change(Body.of(json));
        return callers.current().flatMap(caller -> service.updateStudy(caller, id, change, true));
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

    @POST
    @Path("/{id}/patients")
    public Uni<Response> enrol(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.PatientIds.class))) JsonNode json) {
        List<Long> patientIds = Body.of(json).ids("patientIds");
        return callers.current().flatMap(caller -> service.enrolPatients(caller, id, patientIds))
                .map(enrolments -> Response.status(201).entity(Map.of("studyPatients", enrolments)).build());
    }

    @DELETE
    @Path("/{id}/patients")
    public Uni<Response> unenrol(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.PatientIds.class))) JsonNode json) {
        List<Long> patientIds = Body.of(json).ids("patientIds");
        return callers.current().flatMap(caller -> service.removePatients(caller, id, patientIds))
                .map(v -> Response.noContent().build());
    }

    @GET
    @Path("/{id}/scope_requests")
    public Uni<List<ScopeRequest>> scopeRequests(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.scopeRequests(caller, id));
    }

    @POST
    @Path("/{id}/scope_requests")
    public Uni<Response> requestScope(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.ScopeCode.class))) JsonNode json) {
        Long codeId = Body.of(json).id("scopeCodeId");
        return callers.current().flatMap(caller -> service.requestScope(caller, id, codeId))
                .map(request -> Response.status(201).entity(request).build());
    }

    @DELETE
    @Path("/{id}/scope_requests")
    public Uni<Response> withdrawScope(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.ScopeCode.class))) JsonNode json) {
        Long codeId = Body.of(json).id("scopeCodeId");
        return callers.current().flatMap(caller -> service.withdrawScope(caller, id, codeId))
                .map(v -> Response.noContent().build());
    }

    @GET
    @Path("/{id}/clients")
    public Uni<List<Map<String, Object>>> clients(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.clients(caller, id));
    }

    @POST
    @Path("/{id}/clients")
    public Uni<Response> linkClient(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.ClientLink.class))) JsonNode json) {
        Long clientId = Body.of(json).id("clientId");
        return callers.current().flatMap(caller -> service.link(caller, id, "clients", clientId))
                .map(link -> Response.status(201).entity(link).build());
    }

    @DELETE
    @Path("/{id}/clients")
    public Uni<Response> unlinkClient(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.ClientLink.class))) JsonNode json) {
        Long clientId = Body.of(json).id("clientId");
        return callers.current().flatMap(caller -> service.unlink(caller, id, "clients", clientId))
                .map(v -> Response.noContent().build());
    }

    @GET
    @Path("/{id}/data_sources")
    public Uni<List<Map<String, Object>>> dataSources(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.dataSources(caller, id));
    }

    @POST
    @Path("/{id}/data_sources")
    public Uni<Response> linkDataSource(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.DataSourceLink.class))) JsonNode json) {
        Long dataSourceId = Body.of(json).id("dataSourceId");
        return callers.current().flatMap(caller -> service.link(caller, id, "data_sources", dataSourceId))
                .map(link -> Response.status(201).entity(link).build());
    }

    @DELETE
    @Path("/{id}/data_sources")
    public Uni<Response> unlinkDataSource(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.DataSourceLink.class))) JsonNode json) {
        Long dataSourceId = Body.of(json).id("dataSourceId");
        return callers.current().flatMap(caller -> service.unlink(caller, id, "data_sources", dataSourceId))
                .map(v -> Response.noContent().build());
    }
}
