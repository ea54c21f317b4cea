package org.jupyterhealth.exchange.admin.organization;

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
import org.jupyterhealth.exchange.admin.security.Callers;
import org.jupyterhealth.exchange.admin.study.StudyResponse;
import org.jupyterhealth.exchange.admin.web.Locations;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;
import org.jupyterhealth.exchange.admin.web.Paging;
import org.jupyterhealth.exchange.admin.web.QueryParams;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** {@code /api/v1/organizations} (docs/compatibility.md#organizations). */
@Path("/api/v1/organizations")
@Authenticated
@Tag(name = "organizations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OrganizationResource {
    private final OrganizationService service;
    private final Callers callers;
    private final Paging paging;
    private final Locations locations;

    public OrganizationResource(OrganizationService service, Callers callers, Paging paging, Locations locations) {
        this.service = service;
        this.callers = callers;
        this.paging = paging;
        this.locations = locations;
    }

    @GET
    public Uni<Page<OrganizationResponse>> list(@Context UriInfo uri) {
        PageRequest page = paging.of(uri);
        Long partOf = QueryParams.of(uri).id("part_of");
        return callers.current().flatMap(caller -> service.listOrganizations(caller, partOf, page));
    }

    @GET
    @Path("/types")
    public Map<String, String> types() {
        return OrganizationTypes.ALL;
    }

    @GET
    @Path("/{id}")
    public Uni<OrganizationResponse> get(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.organization(caller, id));
    }

    @POST
    public Uni<Response> create(OrganizationRequest request) {
        return callers.current().flatMap(caller -> service.createOrganization(caller, request))
                .map(org -> locations.created("/api/v1/organizations/" + org.id(), org));
    }

    @PUT
    @Path("/{id}")
    public Uni<OrganizationResponse> replace(@PathParam("id") long id, OrganizationRequest request) {
        return callers.current().flatMap(caller -> service.replaceOrganization(caller, id, request));
    }

    @PATCH
    @Path("/{id}")
    public Uni<OrganizationResponse> patch(@PathParam("id") long id, OrganizationPatch patch) {
        return callers.current().flatMap(caller -> service.patchOrganization(caller, id, patch));
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.deleteOrganization(caller, id))
                .map(v -> Response.noContent().build());
    }

    @GET
    @Path("/{id}/tree")
    public Uni<OrganizationResponse> tree(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.tree(caller, id));
    }

    @GET
    @Path("/{id}/users")
    public Uni<List<MemberResponse>> users(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.practitionersOf(caller, id));
    }

    /** 201 for a new membership (listed at {@code /users}), 200 for a changed role. */
    @POST
    @Path("/{id}/user")
    public Uni<Response> addUser(@PathParam("id") long id, OrganizationUserRequest request) {
        return callers.current().flatMap(caller -> service.setPractitionerRole(caller, id, request))
                .map(change -> change.created()
                        ? locations.created("/api/v1/organizations/" + id + "/users", change.membership())
                        : Response.ok(change.membership()).build());
    }

    @DELETE
    @Path("/{id}/remove_user")
    public Uni<Response> removeUser(@PathParam("id") long id, OrganizationUserRequest request) {
        return callers.current().flatMap(caller -> service.removePractitioner(caller, id, request))
                .map(v -> Response.noContent().build());
    }

    @GET
    @Path("/{id}/studies")
    public Uni<List<StudyResponse>> studies(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.studiesOf(caller, id));
    }
}
