package org.jupyterhealth.exchange.identity.login;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jupyterhealth.exchange.identity.account.JheUser;
import org.jupyterhealth.exchange.identity.passkey.Passkey;
import org.jupyterhealth.exchange.identity.passkey.PasskeyService;
import org.jupyterhealth.exchange.identity.web.FormInput;
import org.jupyterhealth.exchange.identity.web.PublicUrls;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * A signed-in person's passkeys ({@code /o/passkeys}): the list, adding one, removing one, and whether the account
 * signs in only with a passkey. Every action needs the browser's live sign-in session ({@link SignInSessions}) and
 * the page's CSRF token (the form field, or the {@code X-CSRF-Token} header of the script's challenge request); the
 * account acted on is always the session's, never one named in the request.
 */
@Path("/o/passkeys")
@PermitAll
public class PasskeysResource {
    private static final String COOKIE_PATH = "/o/passkeys";
    private static final String NOT_SIGNED_IN = "Sign in first: your passkeys are managed from a signed-in browser.";
    private static final String EXPIRED = "This page has expired or did not come from this site. Reload it and try "
            + "again.";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance passkeys(PasskeysPage page);

        static native TemplateInstance problem(String message, String signInUrl);
    }

    /** What the page shows. */
    public record PasskeysPage(String email, List<Passkey> passkeys, boolean required,
            boolean requiredByOrganization, String csrf, int maxLabel, String message, String error) {
    }

    private final SignInSessions sessions;
    private final PasskeyService passkeys;
    private final PublicUrls urls;
    private final boolean secure;

    public PasskeysResource(SignInSessions sessions, PasskeyService passkeys, PublicUrls urls) {
        this.sessions = sessions;
        this.passkeys = passkeys;
        this.urls = urls;
        this.secure = urls.secure();
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> show(@CookieParam(HtmlPages.CSRF_COOKIE) String csrfCookie,
            @CookieParam(SignInSessions.COOKIE) String sessionCookie) {
        String csrf = HtmlPages.csrfFor(csrfCookie);
        return sessions.userOf(sessionCookie).chain(user -> user == null ? Uni.createFrom().item(notSignedIn())
                : page(200, user, csrf, null, null));
    }

    /** A registration challenge for the page's script ({@code navigator.credentials.create()}). */
    @POST
    @Path("options")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> options(@CookieParam(HtmlPages.CSRF_COOKIE) String csrfCookie,
            @HeaderParam(HtmlPages.CSRF_HEADER) String csrfHeader,
            @CookieParam(SignInSessions.COOKIE) String sessionCookie) {
        if (!HtmlPages.csrfMatches(csrfCookie, csrfHeader)) {
            return Uni.createFrom().item(HtmlPages.jsonProblem(403, EXPIRED));
        }
        return sessions.userOf(sessionCookie).chain(user -> user == null
                ? Uni.createFrom().item(HtmlPages.jsonProblem(401, NOT_SIGNED_IN))
                : passkeys.registrationOptions(user).map(options -> Response.ok(options)
                        .header(HttpHeaders.CACHE_CONTROL, "no-store").build()));
    }

    /** The authenticator's answer to the registration challenge, posted by the script with the page's form. */
    @POST
    @Path("register")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> register(@CookieParam(HtmlPages.CSRF_COOKIE) String csrfCookie,
            @CookieParam(SignInSessions.COOKIE) String sessionCookie, String body) {
        return act(csrfCookie, sessionCookie, body, (user, form, csrf) -> passkeys
                .register(user, AuthorizationRequestValidator.single(form, "label"),
                        new PasskeyService.Attestation(AuthorizationRequestValidator.single(form, "client_data"),
                                AuthorizationRequestValidator.single(form, "attestation_object")))
                .chain(added -> page(200, user, csrf, "The passkey \u201c" + added.label() + "\u201d was added.",
                        null)));
    }

    @POST
    @Path("remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> remove(@CookieParam(HtmlPages.CSRF_COOKIE) String csrfCookie,
            @CookieParam(SignInSessions.COOKIE) String sessionCookie, String body) {
        return act(csrfCookie, sessionCookie, body, (user, form, csrf) -> {
            String id = AuthorizationRequestValidator.single(form, "id");
            if (id == null || !id.matches("[0-9]{1,18}")) {
                return page(400, user, csrf, null, "No such passkey.");
            }
            // the session's own passkeys only: another account's id removes nothing
            return passkeys.remove(user.id(), Long.parseLong(id)).chain(removed -> removed
                    ? page(200, user, csrf, "The passkey was removed.", null)
                    : page(404, user, csrf, null, "No such passkey."));
        });
    }

    @POST
    @Path("require")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> require(@CookieParam(HtmlPages.CSRF_COOKIE) String csrfCookie,
            @CookieParam(SignInSessions.COOKIE) String sessionCookie, String body) {
        return act(csrfCookie, sessionCookie, body, (user, form, csrf) -> {
            String required = AuthorizationRequestValidator.single(form, "required");
            if (!"true".equals(required) && !"false".equals(required)) {
                return page(400, user, csrf, null, "The request cannot be read.");
            }
            boolean on = Boolean.parseBoolean(required);
            return passkeys.require(user.id(), on).chain(() -> page(200, user, csrf, on
                    ? "Your account now signs in only with a passkey, once it has one."
                    : "Your password signs you in again.", null));
        });
    }

    @FunctionalInterface
    private interface Action {
        Uni<Response> apply(JheUser user, Map<String, List<String>> form, String csrf);
    }

    /** A form of the page: read, CSRF-checked, for the session's account; a refused passkey shown on the page. */
    private Uni<Response> act(String csrfCookie, String sessionCookie, String body, Action action) {
        Map<String, List<String>> form;
        try {
            form = FormInput.decode(body);
        } catch (FormInput.MalformedException e) {
            return Uni.createFrom().item(problem(400, "This request cannot be read: " + e.getMessage()));
        }
        String csrf = AuthorizationRequestValidator.single(form, HtmlPages.CSRF_FIELD);
        if (!HtmlPages.csrfMatches(csrfCookie, csrf)) {
            return Uni.createFrom().item(problem(403, EXPIRED));
        }
        return sessions.userOf(sessionCookie).chain(user -> {
            if (user == null) {
                return Uni.createFrom().item(notSignedIn());
            }
            return action.apply(user, form, csrf).onFailure(PasskeyService.Refused.class)
                    .recoverWithUni(refused -> page(400, user, csrf, null, refused.getMessage()));
        });
    }

    private Uni<Response> page(int status, JheUser user, String csrf, String message, String error) {
        return passkeys.list(user.id()).chain(list -> passkeys.required(user.id()).map(required -> HtmlPages
                .htmlWithScript(Response.status(status), Templates.passkeys(new PasskeysPage(user.email(), list,
                        required.own(), required.organization(), csrf, PasskeyService.MAX_LABEL, message, error)).render())
                .cookie(HtmlPages.csrfCookie(csrf, COOKIE_PATH, secure)).build()));
    }

    private Response notSignedIn() {
        return HtmlPages.html(Response.status(401), Templates.problem(NOT_SIGNED_IN, urls.signIn()).render()).build();
    }

    private static Response problem(int status, String message) {
        return HtmlPages.html(Response.status(status), Templates.problem(message, null).render()).build();
    }
}
