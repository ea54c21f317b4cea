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
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.organization.OrganizationService.Member;
import org.jupyterhealth.exchange.admin.organization.OrganizationService.Membership;
import org.jupyterhealth.exchange.admin.organization.OrganizationService.OrganizationChange;
import org.jupyterhealth.exchange.admin.security.Callers;
import org.jupyterhealth.exchange.admin.security.Permissions;
import org.jupyterhealth.exchange.admin.study.StudyResponse;
import org.jupyterhealth.exchange.admin.web.Body;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;
import org.jupyterhealth.exchange.admin.web.Paging;
import org.jupyterhealth.exchange.admin.web.QueryParams;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jupyterhealth.exchange.admin.openapi.RequestBodies;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** {@code /api/v1/organizations} (docs/compatibility.md#organizations). */
@Path("/api/v1/organizations")
@Authenticated
@Tag(name = "organizations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OrganizationResource {
    private static final List<String> ROLE_KEYS = List.of("organizationPartitionerRole",
            "organizationPractitionerRole", "role");
    private static final List<String> ROLES = List.of(Permissions.MANAGER, Permissions.MEMBER, Permissions.VIEWER);

    private final OrganizationService service;
    private final Callers callers;
    private final Paging paging;
    private final Db db;

    public OrganizationResource(OrganizationService service, Callers callers, Db db, Paging paging) {
        this.service = service;
        this.callers = callers;
        this.paging = paging;
        this.db = db;
    }

    @GET
    public Uni<Page<OrganizationResponse>> list(@Context UriInfo uri) {
        QueryParams q = QueryParams.of(uri);
        PageRequest page = paging.of(uri);
        Long partOf = q.id("part_of");
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
    public Uni<Response> create(@RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.Organization.class))) JsonNode json) {
        Body body = Body.of(json);
        OrganizationChange change = new OrganizationChange(body.string("name"), body.string("type"),
                body.id("partOf"), body.has("partOf"));
        return callers.current().flatMap(caller -> service.createOrganization(caller, change))
                .map(org -> Response.status(201).entity(org).build());
    }

    @PUT
    @Path("/{id}")
    public Uni<OrganizationResponse> replace(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.Organization.class))) JsonNode json) {
        return update(id, json, false);
    }

    @PATCH
    @Path("/{id}")
    public Uni<OrganizationResponse> patch(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.Organization.class))) JsonNode json) {
        return update(id, json, true);
    }

    private Uni<OrganizationResponse> update(long id, JsonNode json, boolean partial) {
        Body body = Body.of(json);
        OrganizationChange change = new OrganizationChange(body.string("name"), body.string("type"),
                body.id("partOf"), body.has("partOf"));
        return callers.current().flatMap(caller -> service.updateOrganization(caller, id, change, partial));
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
    public Uni<List<Member>> users(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.practitionersOf(caller, id));
    }

    @POST
    @Path("/{id}/user")
    public Uni<Response> addUser(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.OrganizationUser.class))) JsonNode json) {
        Body body = Body.of(json);
        Long userId = body.id("jheUserId");
        String role = role(body);
        return callers.current().flatMap(caller -> service.setPractitionerRole(caller, id, userId, role))
                .map(m -> Response.status(m.created() ? 201 : 200).entity(membership(m)).build());
    }

    /**
     * The role a membership request names, under whichever spelling the client used (the original's
     * {@code organizationPartitionerRole}, its corrected spelling, or {@code role}): one of the roles, or null when
     * none is given. An empty or unknown role is a 400 naming the key sent, never read as the default.
     */
    private static String role(Body body) {
        for (String key : ROLE_KEYS) {
            if (body.node(key) != null) {
                return body.choice(key, ROLES);
            }
        }
        return null;
    }

    private static Map<String, Object> membership(Membership m) {
        return Map.of("id", m.id(), "organization", m.organization(), "practitioner", m.practitioner(),
                "role", m.role());
    }

    /**
     * Ends a membership whatever its role: a role the body names (clients send the body they sent to
     * {@code POST .../user}) is judged as there, and not compared.
     */
    @DELETE
    @Path("/{id}/remove_user")
    public Uni<Response> removeUser(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.OrganizationUserRemoval.class))) JsonNode json) {
        Body body = Body.of(json);
        Long userId = body.id("jheUserId");
        role(body);
        return callers.current().flatMap(caller -> service.removePractitioner(caller, id, userId))
                .map(v -> Response.noContent().build());
    }

    @GET
    @Path("/{id}/studies")
    public Uni<List<StudyResponse>> studies(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> service.organization(caller, id))
                .flatMap(org -> db.list("SELECT " + StudyResponse.COLUMNS + " FROM study s "
                        + "JOIN organization o ON o.id = s.organization_id WHERE s.organization_id = $1 "
                        + "ORDER BY s.name, s.id", StudyResponse::from, id));
    }
}
