package org.jupyterhealth.exchange.admin.security;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jupyterhealth.exchange.admin.web.Errors;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * The superuser gate of {@link SuperuserOnly} operations. Request filters run before the body is read, so a
 * non-superuser is refused with 403 whatever it sends, as it is on the operations without a body; the path is
 * judged first ({@code RequestTargetFilter}, at the default priority), so a path that is no resource stays a 404.
 * An anonymous request is left to the resource's {@code @Authenticated} (401).
 */
@Provider
@SuperuserOnly
@Priority(Priorities.USER + 100)
public class SuperuserOnlyFilter implements ContainerRequestFilter {
    private final SecurityIdentity identity;
    private final JsonWebToken token;

    public SuperuserOnlyFilter(SecurityIdentity identity, JsonWebToken token) {
        this.identity = identity;
        this.token = token;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (identity.isAnonymous()) {
            return;
        }
        if (!CurrentUser.from(token).superuser()) {
            throw Errors.forbidden();
        }
    }
}
