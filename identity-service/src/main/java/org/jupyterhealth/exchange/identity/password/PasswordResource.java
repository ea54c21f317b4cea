package org.jupyterhealth.exchange.identity.password;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jupyterhealth.exchange.identity.security.AccessTokenIdentityProvider;
import org.jupyterhealth.exchange.identity.token.AccessTokenVerifier;
import org.jupyterhealth.exchange.identity.web.ClientAddress;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code POST /o/password}: a signed-in person changes their password with a bearer access token of the exchange
 * (the same authentication as userinfo). 204 when changed; the answers of refusals are in
 * {@link PasswordChangeService} and the service's README.
 */
@Path("/o/password")
@Authenticated
public class PasswordResource {
    private final SecurityIdentity identity;
    private final PasswordChangeService passwords;
    private final ClientAddress clientAddress;

    public PasswordResource(SecurityIdentity identity, PasswordChangeService passwords, ClientAddress clientAddress) {
        this.identity = identity;
        this.passwords = passwords;
        this.clientAddress = clientAddress;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> change(@Context HttpServerRequest http, PasswordChangeRequest request) {
        AccessTokenVerifier.Verified token = identity.getAttribute(AccessTokenIdentityProvider.TOKEN);
        PasswordChangeRequest body = request == null ? new PasswordChangeRequest(null, null) : request;
        return passwords.changePassword(token, body.currentPassword(), body.newPassword(), clientAddress.of(http))
                .replaceWith(Response.noContent().header("Cache-Control", "no-store").build());
    }
}
