package org.jupyterhealth.exchange.console.web;

import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jupyterhealth.exchange.console.api.SignedInUser;

/**
 * After every change a user sends (any method but GET and HEAD), what the console keeps of that user is forgotten
 * ({@link SignedInUser}): the next page reads their profile and organizations again, so that a change of their own
 * membership or role shows at once, whether the API made it or refused it.
 */
public class Writes {
    private final SignedInUser user;

    public Writes(SignedInUser user) {
        this.user = user;
    }

    @ServerResponseFilter
    public void forgetTheUserAfterAChange(ContainerRequestContext request) {
        if (!HttpMethod.GET.equals(request.getMethod()) && !HttpMethod.HEAD.equals(request.getMethod())) {
            user.forget();
        }
    }
}
