package org.jupyterhealth.exchange.identity.login;

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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jupyterhealth.exchange.identity.account.JheUser;
import org.jupyterhealth.exchange.identity.account.PasswordPolicy;
import org.jupyterhealth.exchange.identity.oauth.TokenAudit;
import org.jupyterhealth.exchange.identity.password.PasswordResetService;
import org.jupyterhealth.exchange.identity.web.FormInput;
import org.jupyterhealth.exchange.identity.web.PublicUrls;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * The page of a reset link ({@code /o/reset?token=...}): a person who forgot their password chooses a new one, which
 * ends every session of the account, then signs in with it. Served as the activation page is ({@link HtmlPages}:
 * same headers, same double-submit CSRF protection, no {@code Referer} sent anywhere, since the page's URL holds the
 * token); the token travels in the link's query and then in a hidden field of the form only. A link that does not
 * work gets one page whatever the reason (unknown, expired or used), which offers to ask for a new one. A password
 * the policy refuses brings the form back with the reason next to the field, and leaves the link working.
 */
@Path("/o/reset")
@PermitAll
public class PasswordResetResource {
    private static final String COOKIE_PATH = "/o/reset";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance reset(ResetPage page);

        static native TemplateInstance done(String signInUrl);

        static native TemplateInstance problem(String message, String forgotUrl);
    }

    /** What the form shows: for whom, where it posts, and the errors next to their fields. */
    public record ResetPage(String email, String token, String csrf, String action, int minLength, int maxLength,
            String passwordError, String confirmationError) {
    }

    private final PasswordResetService resets;
    private final PublicUrls urls;
    private final int minLength;
    /** Whether the CSRF cookie is for HTTPS only: from the configured public URL, never from a request header. */
    private final boolean secure;

    public PasswordResetResource(PasswordResetService resets, PasswordPolicy policy, PublicUrls urls) {
        this.resets = resets;
        this.urls = urls;
        this.minLength = policy.minLength();
        this.secure = urls.secure();
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> show(@Context HttpServerRequest http,
            @CookieParam(HtmlPages.CSRF_COOKIE) String csrfCookie) {
        Map<String, List<String>> parameters;
        try {
            parameters = FormInput.decode(http.query());
        } catch (FormInput.MalformedException e) {
            return Uni.createFrom().item(unusable(400));
        }
        String token = AuthorizationRequestValidator.single(parameters, "token");
        if (token == null) {
            return Uni.createFrom().item(unusable(400));
        }
        return resets.findReset(token).map(account -> {
            if (account == null) {
                return unusable(410);
            }
            return form(200, account, token, HtmlPages.csrfFor(csrfCookie), null, null);
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> reset(@CookieParam(HtmlPages.CSRF_COOKIE) String csrfCookie, String body) {
        Map<String, List<String>> form;
        try {
            form = FormInput.decode(body);
        } catch (FormInput.MalformedException e) {
            TokenAudit.resetRefused(null, "unreadable form: " + e.getMessage());
            return Uni.createFrom().item(message(400, "This form cannot be read: " + e.getMessage()
                    + " Open the link from your email again."));
        }
        String csrf = AuthorizationRequestValidator.single(form, HtmlPages.CSRF_FIELD);
        if (!HtmlPages.csrfMatches(csrfCookie, csrf)) {
            TokenAudit.resetRefused(null, "reset form without a valid CSRF token");
            return Uni.createFrom().item(message(403, "This form has expired or did not come from this site. "
                    + "Open the link from your email again."));
        }
        String token = AuthorizationRequestValidator.single(form, "token");
        String password = single(form, "password");
        String confirmation = single(form, "password_confirmation");
        return resets.resetPassword(token, password, confirmation).map(outcome -> {
            if (outcome instanceof PasswordResetService.Reset) {
                return HtmlPages.html(Response.ok(), Templates.done(urls.signIn()).render()).build();
            }
            if (outcome instanceof PasswordResetService.Refused refused) {
                boolean confirmationField = "password_confirmation".equals(refused.field());
                return form(400, refused.account(), token, csrf, confirmationField ? null : refused.message(),
                        confirmationField ? refused.message() : null);
            }
            return unusable(410);
        });
    }

    /** A password exactly as it was typed: spaces at either end are part of it. */
    private static String single(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private Response form(int status, JheUser account, String token, String csrf, String passwordError,
            String confirmationError) {
        ResetPage page = new ResetPage(account.email(), token, csrf, urls.reset(), minLength,
                PasswordPolicy.MAX_LENGTH, passwordError, confirmationError);
        return HtmlPages.html(Response.status(status), Templates.reset(page).render())
                .cookie(HtmlPages.csrfCookie(csrf, COOKIE_PATH, secure)).build();
    }

    /** The one page of a link that does not work, whatever the reason: unknown, expired or used. */
    private Response unusable(int status) {
        return message(status, "This password reset link is not valid: it may have expired, been used already, or "
                + "been replaced by a newer one.");
    }

    private Response message(int status, String message) {
        return HtmlPages.html(Response.status(status), Templates.problem(message, urls.forgotPassword()).render())
                .build();
    }
}
