package org.jupyterhealth.exchange.identity.oauth;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jupyterhealth.exchange.identity.account.JheUserRepository;
import org.jupyterhealth.exchange.identity.security.AccessTokenIdentityProvider;
import org.jupyterhealth.exchange.identity.token.AccessTokenVerifier;

import io.quarkus.security.Authenticated;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * OpenID Connect UserInfo (OIDC Core §5.3), GET and POST, with a user's access token: the account as it is now.
 * Any user token is accepted, with or without {@code openid} (the guide's tokens ask for {@code read write}); a
 * service token is refused, it has no user.
 */
@Path("/o/userinfo")
@Authenticated
public class UserInfoResource {
    private final SecurityIdentity identity;
    private final JheUserRepository users;

    public UserInfoResource(SecurityIdentity identity, JheUserRepository users) {
        this.identity = identity;
        this.users = users;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> get() {
        AccessTokenVerifier.Verified token = identity.getAttribute(AccessTokenIdentityProvider.TOKEN);
        if (token.isServiceToken() || token.status().userId() == null) {
            throw new ForbiddenException();
        }
        return users.findById(token.status().userId()).map(user -> {
            if (user == null || !user.active()) {
                throw new UnauthorizedException();
            }
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("sub", String.valueOf(user.id()));
            claims.put("email", user.email());
            claims.put("email_verified", user.emailVerified());
            claims.put("given_name", user.firstName());
            claims.put("family_name", user.lastName());
            if (user.userType() != null) {
                claims.put("user_type", user.userType());
            }
            claims.put("is_superuser", user.superuser());
            return Response.ok(claims).header("Cache-Control", "no-store").build();
        });
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> post() {
        return get();
    }
}
