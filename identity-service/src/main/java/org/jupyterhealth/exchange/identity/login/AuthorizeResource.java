package org.jupyterhealth.exchange.identity.login;

import java.util.LinkedHashMap;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jupyterhealth.exchange.identity.account.JheUser;
import org.jupyterhealth.exchange.identity.account.LoginAttemptService;
import org.jupyterhealth.exchange.identity.code.AuthorizationCodeService;
import org.jupyterhealth.exchange.identity.oauth.TokenAudit;
import org.jupyterhealth.exchange.identity.passkey.PasskeyService;
import org.jupyterhealth.exchange.identity.web.ClientAddress;
import org.jupyterhealth.exchange.identity.web.FormInput;
import org.jupyterhealth.exchange.identity.web.PublicUrls;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * The authorization endpoint (RFC 6749 §3.1, §4.1): a server-rendered sign-in page (e-mail and password), which
 * also asks the person to allow a third-party client (first-party clients skip that). On success the browser goes
 * back to the client's redirect URI with a single-use code and the {@code state}.
 * <p>
 * The form is protected against cross-site request forgery by a double-submit token ({@link HtmlPages}): a random
 * value in an HttpOnly, SameSite=Strict cookie and the same value in a hidden field; a POST without both, equal, is
 * refused. Messages never say whether an account exists.
 * <p>
 * Instead of the password, a person can sign in with a passkey ({@link PasskeyService}): the page's script asks
 * {@code POST /o/authorize/passkey} for a challenge, the browser's authenticator answers it, and the answer is posted
 * with the form in place of the e-mail and password.
 * <p>
 * A password sign-in starts a browser session ({@link SignInSessions}): within it, a first-party client gets its
 * code without the page, and a third-party client's page only asks to allow it. {@code prompt} (OpenID Connect
 * §3.1.2.1): {@code login} asks for the password whatever the session, {@code consent} shows the allow step to a
 * first-party client too, {@code none} never shows a page (errors {@code login_required}, {@code consent_required}).
 */
@Path("/o/authorize")
@PermitAll
public class AuthorizeResource {
    private static final String INVALID_CREDENTIALS = "Invalid email or password.";
    private static final String LOCKED = "Too many failed sign-in attempts. Try again later.";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(LoginPage page);

        static native TemplateInstance error(String message);
    }

    /**
     * What the sign-in page shows; {@code signedInAs} is the e-mail of a browser's live session, when the page only
     * asks the person to allow the client; {@code forgotUrl}: where a person who forgot their password asks for a
     * link.
     */
    public record LoginPage(String clientName, boolean consent, List<String> scopes, Map<String, String> fields,
            String csrf, String email, String error, String signedInAs, String forgotUrl) {
    }

    private final AuthorizationRequestValidator validator;
    private final LoginAttemptService logins;
    private final AuthorizationCodeService codes;
    private final ClientAddress clientAddress;
    private final SignInSessions sessions;
    private final PasskeyService passkeys;
    private final String forgotUrl;
    /** Whether the CSRF cookie is for HTTPS only: from the configured public URL, never from a request header. */
    private final boolean secure;

    public AuthorizeResource(AuthorizationRequestValidator validator, LoginAttemptService logins,
            AuthorizationCodeService codes, ClientAddress clientAddress, PublicUrls urls, SignInSessions sessions,
            PasskeyService passkeys) {
        this.validator = validator;
        this.passkeys = passkeys;
        this.sessions = sessions;
        this.logins = logins;
        this.codes = codes;
        this.clientAddress = clientAddress;
        this.forgotUrl = urls.forgotPassword();
        this.secure = urls.secure();
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> show(@Context HttpServerRequest http,
            @CookieParam(HtmlPages.CSRF_COOKIE) String csrfCookie,
            @CookieParam(SignInSessions.COOKIE) String sessionCookie) {
        Map<String, List<String>> parameters;
        try {
            parameters = FormInput.decode(http.query());
        } catch (FormInput.MalformedException e) {
            return Uni.createFrom().item(unreadable(e));
        }
        return validator.validate(parameters).chain(outcome -> {
            if (!(outcome instanceof AuthorizationRequestValidator.Valid valid)) {
                return Uni.createFrom().item(answer(outcome));
            }
            AuthorizationRequest request = valid.request();
            String csrf = HtmlPages.csrfFor(csrfCookie);
            // prompt=login: the password is asked again, whatever session the browser has
            Uni<JheUser> session = request.prompts("login") ? Uni.createFrom().nullItem()
                    : sessions.userOf(sessionCookie);
            return session.chain(user -> {
                boolean consent = !request.client().skipAuthorization() || request.prompts("consent");
                if (user == null && request.prompts("none")) {
                    return Uni.createFrom().item(redirect(AuthorizationRequestValidator.error(request.redirectUri(),
                            request.state(), "login_required", "The person is not signed in.").location()));
                }
                if (user == null) {
                    return Uni.createFrom().item(page(200, loginPage(request, csrf, null, null, null), csrf, secure));
                }
                if (consent && request.prompts("none")) {
                    return Uni.createFrom().item(redirect(AuthorizationRequestValidator.error(request.redirectUri(),
                            request.state(), "consent_required", "The person must allow the application first.")
                            .location()));
                }
                if (consent) {
                    return Uni.createFrom().item(page(200, loginPage(request, csrf, null, null, user.email()), csrf,
                            secure));
                }
                return issueCode(request, user.id());
            });
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> signIn(@Context HttpServerRequest http,
            @CookieParam(HtmlPages.CSRF_COOKIE) String csrfCookie,
            @CookieParam(SignInSessions.COOKIE) String sessionCookie, String body) {
        Map<String, List<String>> form;
        try {
            form = FormInput.decode(body);
        } catch (FormInput.MalformedException e) {
            return Uni.createFrom().item(unreadable(e));
        }
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (String name : AuthorizationRequest.PARAMETERS) {
            if (form.containsKey(name)) {
                parameters.put(name, form.get(name));
            }
        }
        return validator.validate(parameters).chain(outcome -> {
            if (!(outcome instanceof AuthorizationRequestValidator.Valid valid)) {
                return Uni.createFrom().item(answer(outcome));
            }
            AuthorizationRequest request = valid.request();
            String csrf = AuthorizationRequestValidator.single(form, HtmlPages.CSRF_FIELD);
            if (!HtmlPages.csrfMatches(csrfCookie, csrf)) {
                TokenAudit.refused("authorization_code", request.client().clientId(), null, "access_denied",
                        "sign-in form without a valid CSRF token");
                return Uni.createFrom().item(errorPage(403,
                        "This sign-in form has expired or did not come from this site. Go back and try again."));
            }
            if ("deny".equals(AuthorizationRequestValidator.single(form, "action"))) {
                TokenAudit.refused("authorization_code", request.client().clientId(), null, "access_denied",
                        "the person denied the client");
                return Uni.createFrom().item(redirect(AuthorizationRequestValidator.error(request.redirectUri(),
                        request.state(), "access_denied", "The person did not allow the application.").location()));
            }
            if (form.containsKey("passkey_id")) {
                return passkeySignIn(request, form, csrf, sessionCookie, clientAddress.of(http));
            }
            String email = AuthorizationRequestValidator.single(form, "email");
            String password = AuthorizationRequestValidator.single(form, "password");
            if (email == null && password == null && form.containsKey("session")) {
                // a signed-in browser allowing the client: the session, still live, stands for the password
                return sessions.userOf(sessionCookie).chain(user -> user != null ? issueCode(request, user.id())
                        : Uni.createFrom().item(page(200, loginPage(request, csrf, null,
                                "Your session has ended. Sign in again.", null), csrf, secure)));
            }
            if (email == null || password == null) {
                return Uni.createFrom().item(page(400, loginPage(request, csrf, email,
                        "Enter your email and password.", null), csrf, secure));
            }
            return logins.signIn(email, password, clientAddress.of(http)).chain(result -> {
                if (result instanceof LoginAttemptService.Locked locked) {
                    TokenAudit.refused("authorization_code", request.client().clientId(), null,
                            "temporarily_unavailable", "sign-in locked");
                    return Uni.createFrom().item(Response.fromResponse(
                            page(429, loginPage(request, csrf, email, LOCKED, null), csrf, secure))
                            .header(HttpHeaders.RETRY_AFTER, Long.toString(locked.retryAfter().toSeconds()))
                            .build());
                }
                if (result instanceof LoginAttemptService.PasskeyRequired required) {
                    TokenAudit.refused("authorization_code", request.client().clientId(), required.user().id(),
                            "access_denied", "password sign-in of an account that requires a passkey");
                    return Uni.createFrom().item(page(200, loginPage(request, csrf, email,
                            LoginAttemptService.PASSKEY_REQUIRED, null), csrf, secure));
                }
                if (!(result instanceof LoginAttemptService.SignedIn signedIn)) {
                    TokenAudit.refused("authorization_code", request.client().clientId(), null, "access_denied",
                            "bad credentials");
                    return Uni.createFrom().item(page(200, loginPage(request, csrf, email, INVALID_CREDENTIALS,
                            null), csrf, secure));
                }
                return signedIn(request, signedIn.user().id(), sessionCookie);
            });
        });
    }

    /**
     * A new challenge for the page's passkey button ({@code navigator.credentials.get()}); the page's CSRF token in
     * the {@code X-CSRF-Token} header, so that no other site has challenges made on a browser's behalf.
     */
    @POST
    @Path("passkey")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> passkeyOptions(@CookieParam(HtmlPages.CSRF_COOKIE) String csrfCookie,
            @HeaderParam(HtmlPages.CSRF_HEADER) String csrfHeader) {
        if (!HtmlPages.csrfMatches(csrfCookie, csrfHeader)) {
            return Uni.createFrom().item(HtmlPages.jsonProblem(403,
                    "This sign-in page has expired or did not come from this site. Reload it and try again."));
        }
        return passkeys.authenticationOptions().map(options -> Response.ok(options)
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build());
    }

    /** The sign-in with a passkey: the page's script put the authenticator's answer in the form. */
    private Uni<Response> passkeySignIn(AuthorizationRequest request, Map<String, List<String>> form, String csrf,
            String sessionCookie, String address) {
        PasskeyService.Assertion assertion = new PasskeyService.Assertion(
                AuthorizationRequestValidator.single(form, "passkey_id"),
                AuthorizationRequestValidator.single(form, "passkey_client_data"),
                AuthorizationRequestValidator.single(form, "passkey_authenticator_data"),
                AuthorizationRequestValidator.single(form, "passkey_signature"),
                AuthorizationRequestValidator.single(form, "passkey_user_handle"));
        // the same locks and failure counts as a password (LoginAttemptService)
        return logins.passkeySignIn(assertion, address).chain(result -> {
            if (result instanceof LoginAttemptService.SignedIn signedIn) {
                return signedIn(request, signedIn.user().id(), sessionCookie);
            }
            if (result instanceof LoginAttemptService.Locked locked) {
                TokenAudit.refused("authorization_code", request.client().clientId(), null,
                        "temporarily_unavailable", "sign-in locked");
                return Uni.createFrom().item(Response.fromResponse(
                        page(429, loginPage(request, csrf, null, LOCKED, null), csrf, secure))
                        .header(HttpHeaders.RETRY_AFTER, Long.toString(locked.retryAfter().toSeconds()))
                        .build());
            }
            String message = result instanceof LoginAttemptService.PasskeyRefused refused ? refused.message()
                    : INVALID_CREDENTIALS;
            TokenAudit.refused("authorization_code", request.client().clientId(), null, "access_denied",
                    "passkey refused");
            return Uni.createFrom().item(page(200, loginPage(request, csrf, null, message, null), csrf, secure));
        });
    }

    /** The account signed in: a new browser session, and the code. */
    private Uni<Response> signedIn(AuthorizationRequest request, long user, String sessionCookie) {
        // the browser's previous session, if any, is replaced by the one of this sign-in
        return sessions.end(sessionCookie).chain(() -> sessions.start(user))
                .chain(cookie -> issueCode(request, user).map(answer -> cookie == null ? answer
                        : Response.fromResponse(answer).cookie(cookie).build()));
    }

    /** The code for the signed-in account, sent to the client's redirect URI with the {@code state}. */
    private Uni<Response> issueCode(AuthorizationRequest request, long userId) {
        return codes.issueCode(request.client(), userId, request.redirectUriGiven() ? request.redirectUri() : null,
                request.scope(), request.codeChallenge(), request.nonce())
                .map(code -> {
                    TokenAudit.codeIssued(request.client().clientId(), userId, request.scope());
                    Map<String, String> answer = new LinkedHashMap<>();
                    answer.put("code", code.code());
                    answer.put("state", request.state());
                    return redirect(AuthorizationRequestValidator.redirect(request.redirectUri(), answer));
                });
    }

    private LoginPage loginPage(AuthorizationRequest request, String csrf, String email, String error,
            String signedInAs) {
        boolean consent = !request.client().skipAuthorization() || request.prompts("consent");
        return new LoginPage(request.client().name(), consent, List.of(request.scope().split(" ")),
                request.hiddenFields(), csrf, email, error, signedInAs, forgotUrl);
    }

    /**
     * A request that cannot be read is answered on the error page, like an unknown client: until the request is
     * read, nothing in it (not even the redirect URI) can be trusted with the answer.
     */
    private static Response unreadable(FormInput.MalformedException e) {
        TokenAudit.refused("authorization_code", null, null, "invalid_request", e.getMessage());
        return errorPage(400, "This request cannot be read: " + e.getMessage());
    }

    private static Response answer(AuthorizationRequestValidator.Outcome outcome) {
        if (outcome instanceof AuthorizationRequestValidator.ErrorRedirect error) {
            return redirect(error.location());
        }
        AuthorizationRequestValidator.ErrorPage page = (AuthorizationRequestValidator.ErrorPage) outcome;
        return errorPage(page.status(), page.message());
    }

    private static Response redirect(String location) {
        return Response.status(302).header(HttpHeaders.LOCATION, location)
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    private static Response errorPage(int status, String message) {
        return HtmlPages.html(Response.status(status), Templates.error(message).render()).build();
    }

    private static Response page(int status, LoginPage page, String csrf, boolean secure) {
        // the page's one script, from this site: the passkey button
        return HtmlPages.htmlWithScript(Response.status(status), Templates.login(page).render())
                .cookie(HtmlPages.csrfCookie(csrf, "/o/authorize", secure)).build();
    }
}
