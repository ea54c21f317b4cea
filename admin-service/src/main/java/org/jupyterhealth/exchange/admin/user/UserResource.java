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
import org.jupyterhealth.exchange.admin.security.SuperuserOnly;
import org.jupyterhealth.exchange.admin.web.Locations;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;
import org.jupyterhealth.exchange.admin.web.Paging;
import org.jupyterhealth.exchange.admin.web.QueryParams;

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
    private final Locations locations;

    public UserResource(UserService users, OrganizationService organizations, Callers callers, Paging paging,
            Locations locations) {
        this.users = users;
        this.organizations = organizations;
        this.callers = callers;
        this.paging = paging;
        this.locations = locations;
    }

    @GET
    public Uni<Page<UserResponse>> list(@Context UriInfo uri) {
        PageRequest page = paging.of(uri);
        String email = QueryParams.of(uri).string("email");
        return callers.current().flatMap(caller -> users.listUsers(caller, email, page));
    }

    @GET
    @Path("/profile")
    public Uni<ProfileResponse> profile() {
        return callers.current().flatMap(users::profile);
    }

    @GET
    @Path("/organizations")
    public Uni<List<OrganizationResponse>> organizations() {
        return callers.current().flatMap(organizations::organizationsOfCaller);
    }

    @GET
    @Path("/search_by_email")
    public Uni<Response> searchByEmail(@Context UriInfo uri) {
        String email = QueryParams.of(uri).string("email");
        // nobody found is an empty object, as the original answered
        return callers.current().flatMap(caller -> users.searchByEmail(caller, email))
                .map(found -> Response.ok(found == null ? Map.of() : found).build());
    }

    @GET
    @Path("/{id}")
    public Uni<UserResponse> get(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> users.user(caller, id));
    }

    @SuperuserOnly
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(UserRequest request) {
        return callers.current().flatMap(caller -> users.createUser(caller, request))
                .map(user -> locations.created("/api/v1/users/" + user.id(), user));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<UserResponse> patch(@PathParam("id") long id, UserPatch patch) {
        return callers.current().flatMap(caller -> users.patchUser(caller, id, patch));
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<UserResponse> replace(@PathParam("id") long id, UserReplacement request) {
        return callers.current().flatMap(caller -> users.replaceUser(caller, id, request));
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> users.deleteUser(caller, id))
                .map(v -> Response.noContent().build());
    }
}
