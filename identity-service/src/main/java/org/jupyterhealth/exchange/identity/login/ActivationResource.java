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

import org.jupyterhealth.exchange.identity.account.ActivationService;
import org.jupyterhealth.exchange.identity.account.JheUser;
import org.jupyterhealth.exchange.identity.account.PasswordPolicy;
import org.jupyterhealth.exchange.identity.oauth.TokenAudit;
import org.jupyterhealth.exchange.identity.web.FormInput;
import org.jupyterhealth.exchange.identity.web.PublicUrls;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * The page of an activation link ({@code /o/activate?token=...}): a person whose account was created without a
 * password chooses one, then signs in with it. Served like the sign-in page ({@link HtmlPages}: same headers, same
 * double-submit CSRF protection, no {@code Referer} sent anywhere, since the page's URL holds the token).
 * <p>
 * The token travels in the link's query and then in a hidden field of the form, which posts to the page's address
 * without it; it is echoed nowhere else on the page. A link that does not work gets one page whatever the reason
 * (unknown, expired or used), which asks for a new link. A password the policy refuses brings the form back with the
 * reason next to the field, and leaves the link working.
 */
@Path("/o/activate")
@PermitAll
public class ActivationResource {
    private static final String COOKIE_PATH = "/o/activate";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance activate(ActivationPage page);

        static native TemplateInstance activated(String signInUrl);

        static native TemplateInstance problem(String message);
    }

    /** What the form shows: for whom, where it posts, and the errors next to their fields. */
    public record ActivationPage(String email, String token, String csrf, String action, int minLength,
            int maxLength, String passwordError, String confirmationError) {
    }

    private final ActivationService activations;
    private final PublicUrls urls;
    private final int minLength;
    /** Whether the CSRF cookie is for HTTPS only: from the configured public URL, never from a request header. */
    private final boolean secure;

    public ActivationResource(ActivationService activations, PasswordPolicy policy, PublicUrls urls) {
        this.activations = activations;
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
        return activations.findActivation(token).map(account -> {
            if (account == null) {
                return unusable(410);
            }
            String csrf = HtmlPages.csrfFor(csrfCookie);
            return form(200, account, token, csrf, null, null);
        });
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> activate(@CookieParam(HtmlPages.CSRF_COOKIE) String csrfCookie, String body) {
        Map<String, List<String>> form;
        try {
            form = FormInput.decode(body);
        } catch (FormInput.MalformedException e) {
            TokenAudit.activationRefused(null, "unreadable form: " + e.getMessage());
            return Uni.createFrom().item(message(400, "This form cannot be read: " + e.getMessage()
                    + " Open the link from your email again."));
        }
        String csrf = AuthorizationRequestValidator.single(form, HtmlPages.CSRF_FIELD);
        if (!HtmlPages.csrfMatches(csrfCookie, csrf)) {
            TokenAudit.activationRefused(null, "activation form without a valid CSRF token");
            return Uni.createFrom().item(message(403, "This form has expired or did not come from this site. "
                    + "Open the link from your email again."));
        }
        String token = AuthorizationRequestValidator.single(form, "token");
        String password = single(form, "password");
        String confirmation = single(form, "password_confirmation");
        return activations.activate(token, password, confirmation).map(outcome -> {
            if (outcome instanceof ActivationService.Activated) {
                return HtmlPages.html(Response.ok(), Templates.activated(urls.signIn()).render()).build();
            }
            if (outcome instanceof ActivationService.Refused refused) {
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
        ActivationPage page = new ActivationPage(account.email(), token, csrf, urls.activation(), minLength,
                PasswordPolicy.MAX_LENGTH, passwordError, confirmationError);
        return HtmlPages.html(Response.status(status), Templates.activate(page).render())
                .cookie(HtmlPages.csrfCookie(csrf, COOKIE_PATH, secure)).build();
    }

    /** The one page of a link that does not work, whatever the reason: unknown, expired or used. */
    private static Response unusable(int status) {
        return message(status, "This activation link is not valid: it may have expired or been used already. "
                + "Ask the person who created your account to send you a new link.");
    }

    private static Response message(int status, String message) {
        return HtmlPages.html(Response.status(status), Templates.problem(message).render()).build();
    }
}
