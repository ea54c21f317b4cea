package org.jupyterhealth.exchange.admin.user;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jupyterhealth.exchange.admin.security.CurrentUser;

import io.quarkus.security.Authenticated;

/** {@code /api/v1/users}: the caller's own account. */
@Path("/api/v1/users")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class UserResource {
    private final JsonWebToken token;

    public UserResource(JsonWebToken token) {
        this.token = token;
    }

    @GET
    @Path("/profile")
    public ProfileResponse profile() {
        CurrentUser user = CurrentUser.from(token);
        return new ProfileResponse(user.id(), user.email(), user.firstName(), user.lastName(), null,
                user.userType(), user.superuser());
    }
}
