package org.jupyterhealth.exchange.identity.login;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.identity.client.OAuthClientRepository;
import org.jupyterhealth.exchange.identity.web.FormInput;
import org.jupyterhealth.exchange.identity.web.PublicUrls;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * Signing out of the browser session (OpenID Connect RP-Initiated Logout 1.0), the discovery document's
 * {@code end_session_endpoint}. {@code GET} with a live session asks the person to confirm (a page with a form), so
 * that no other site can sign the browser out by a link; the confirmed {@code POST} (CSRF-checked) ends the session
 * and removes its cookie. Where the browser then goes: the client's {@code post_logout_redirect_uri}, with the
 * {@code state}, when {@code client_id} names a client that has it among its registered redirect URIs; else a page
 * that says it is signed out. An unknown client or unregistered address is shown, never followed (no open redirect).
 */
@Path("/o/logout")
@PermitAll
public class LogoutResource {
    private static final Logger LOG = Logger.getLogger(LogoutResource.class);
    private static final List<String> PARAMETERS = List.of("client_id", "post_logout_redirect_uri", "state");
    private static final int MAX_STATE = 2000;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance confirm(ConfirmPage page);

        static native TemplateInstance signedOut();

        static native TemplateInstance problem(String message);
    }

    /** The confirmation page: who is signed in, and the request to repeat in the form. */
    public record ConfirmPage(String email, Map<String, String> fields, String csrf) {
    }

    /** Where to go after signing out: a checked address with the state, or nowhere (the signed-out page). */
    private record Target(String redirectUri, String state, String problem) {
    }

    private final SignInSessions sessions;
    private final OAuthClientRepository clients;
    private final boolean secure;

    public LogoutResource(SignInSessions sessions, OAuthClientRepository clients, PublicUrls urls) {
        this.sessions = sessions;
        this.clients = clients;
        this.secure = urls.secure();
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> show(@Context HttpServerRequest http, @CookieParam(HtmlPages.CSRF_COOKIE) String csrfCookie,
            @CookieParam(SignInSessions.COOKIE) String sessionCookie) {
        Map<String, List<String>> query;
        try {
            query = FormInput.decode(http.query());
        } catch (FormInput.MalformedException e) {
            return Uni.createFrom().item(problem(400, "This request cannot be read: " + e.getMessage()));
        }
        return target(query).chain(target -> {
            if (target.problem() != null) {
                return Uni.createFrom().item(problem(400, target.problem()));
            }
            return sessions.userOf(sessionCookie).map(user -> {
                if (user == null) {
                    // nothing to end: the browser goes on at once
                    return Response.fromResponse(after(target)).cookie(sessions.expired()).build();
                }
                String csrf = HtmlPages.csrfFor(csrfCookie);
                Map<String, String> fields = new LinkedHashMap<>();
                for (String name : PARAMETERS) {
                    String value = AuthorizationRequestValidator.single(query, name);
                    if (value != null) {
                        fields.put(name, value);
                    }
                }
                return HtmlPages.html(Response.ok(), Templates.confirm(new ConfirmPage(user.email(), fields, csrf))
                        .render()).cookie(HtmlPages.csrfCookie(csrf, "/o/logout", secure)).build();
            });
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> signOut(@CookieParam(HtmlPages.CSRF_COOKIE) String csrfCookie,
            @CookieParam(SignInSessions.COOKIE) String sessionCookie, String body) {
        Map<String, List<String>> form;
        try {
            form = FormInput.decode(body);
        } catch (FormInput.MalformedException e) {
            return Uni.createFrom().item(problem(400, "This request cannot be read: " + e.getMessage()));
        }
        if (!HtmlPages.csrfMatches(csrfCookie, AuthorizationRequestValidator.single(form, HtmlPages.CSRF_FIELD))) {
            return Uni.createFrom().item(problem(403,
                    "This sign-out form has expired or did not come from this site. Go back and try again."));
        }
        return target(form).chain(target -> target.problem() != null
                ? Uni.createFrom().item(problem(400, target.problem()))
                : sessions.end(sessionCookie).map(ended -> {
                    if (ended) {
                        LOG.info("sign-in session ended by the person");
                    }
                    return Response.fromResponse(after(target)).cookie(sessions.expired()).build();
                }));
    }

    /** The checked destination of the request's parameters. */
    private Uni<Target> target(Map<String, List<String>> parameters) {
        for (String name : PARAMETERS) {
            List<String> values = parameters.get(name);
            if (values != null && values.size() > 1) {
                return Uni.createFrom().item(new Target(null, null, "The request repeats " + name + "."));
            }
        }
        String uri = AuthorizationRequestValidator.single(parameters, "post_logout_redirect_uri");
        String clientId = AuthorizationRequestValidator.single(parameters, "client_id");
        String state = AuthorizationRequestValidator.single(parameters, "state");
        if (state != null && state.length() > MAX_STATE) {
            return Uni.createFrom().item(new Target(null, null, "The state is too long."));
        }
        if (uri == null) {
            return Uni.createFrom().item(new Target(null, null, null));
        }
        if (clientId == null) {
            return Uni.createFrom().item(new Target(null, null,
                    "A post_logout_redirect_uri needs the client_id of the application it belongs to."));
        }
        return clients.findByClientId(clientId).map(client -> client == null || client.service()
                || !client.hasRedirectUri(uri)
                ? new Target(null, null, "The application's address after sign-out is not registered.")
                : new Target(uri, state, null));
    }

    private static Response after(Target target) {
        if (target.redirectUri() == null) {
            return HtmlPages.html(Response.ok(), Templates.signedOut().render()).build();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("state", target.state());
        return Response.status(302)
                .header(HttpHeaders.LOCATION, AuthorizationRequestValidator.redirect(target.redirectUri(), parameters))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    private static Response problem(int status, String message) {
        return HtmlPages.html(Response.status(status), Templates.problem(message).render()).build();
    }
}
