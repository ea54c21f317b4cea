package org.jupyterhealth.exchange.admin.user;

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
import org.jupyterhealth.exchange.admin.organization.OrganizationResponse;
import org.jupyterhealth.exchange.admin.organization.OrganizationService;
import org.jupyterhealth.exchange.admin.security.Callers;
import org.jupyterhealth.exchange.admin.web.Body;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;
import org.jupyterhealth.exchange.admin.web.Paging;
import org.jupyterhealth.exchange.admin.web.QueryParams;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jupyterhealth.exchange.admin.openapi.RequestBodies;
import org.jupyterhealth.exchange.admin.web.TextRules;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/** {@code /api/v1/users} (docs/compatibility.md#users). */
@Path("/api/v1/users")
@Authenticated
@Tag(name = "users")
@Produces(MediaType.APPLICATION_JSON)
public class UserResource {
    private final UserService users;
    private final OrganizationService organizations;
    private final Callers callers;
    private final Paging paging;

    public UserResource(UserService users, OrganizationService organizations, Callers callers, Paging paging) {
        this.users = users;
        this.organizations = organizations;
        this.callers = callers;
        this.paging = paging;
    }

    @GET
    public Uni<Page<UserResponse>> list(@Context UriInfo uri) {
        PageRequest page = paging.of(uri);
        String email = QueryParams.of(uri).string("email");
        return callers.current().flatMap(caller -> users.listUsers(caller, email, page));
    }

    @GET
    @Path("/profile")
    public Uni<Map<String, Object>> profile() {
        return callers.current().flatMap(users::profile);
    }

    @GET
    @Path("/organizations")
    public Uni<List<OrganizationResponse>> organizations() {
        return callers.current().flatMap(organizations::organizationsOfCaller);
    }

    @GET
    @Path("/search_by_email")
    public Uni<Object> searchByEmail(@Context UriInfo uri) {
        String email = QueryParams.of(uri).string("email");
        return callers.current().flatMap(caller -> users.searchByEmail(caller, email))
                .map(found -> found == null ? Map.of() : found);
    }

    @GET
    @Path("/{id}")
    public Uni<UserResponse> get(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> users.user(caller, id));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(@RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.User.class))) JsonNode json) {
        Body body = Body.of(json);
        String email = body.string("email", TextRules.MAX_EMAIL);
        String firstName = body.string("firstName", TextRules.MAX_PERSON_NAME);
        String lastName = body.string("lastName", TextRules.MAX_PERSON_NAME);
        String userType = body.string("userType");
        return callers.current().flatMap(caller -> users.createUser(caller, email, firstName, lastName, userType))
                .map(user -> Response.status(201).entity(user).build());
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<UserResponse> patch(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.User.class))) JsonNode json) {
        return update(id, Body.of(json));
    }

    /** A full replacement: it carries the account's e-mail, as a create does. */
    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<UserResponse> replace(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.User.class))) JsonNode json) {
        Body body = Body.of(json);
        body.requireFields("email");
        return update(id, body);
    }

    /**
     * Changes the names; the e-mail and the type, which cannot be changed here, are judged as on create and must
     * be the account's own.
     */
    private Uni<UserResponse> update(long id, Body body) {
        String email = body.email("email");
        String userType = body.choice("userType", UserService.USER_TYPES);
        String firstName = body.string("firstName", TextRules.MAX_PERSON_NAME);
        String lastName = body.string("lastName", TextRules.MAX_PERSON_NAME);
        return callers.current().flatMap(caller -> users.renameUser(caller, id, email, userType, firstName,
                lastName));
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> users.deleteUser(caller, id))
                .map(v -> Response.noContent().build());
    }
}
