package org.jupyterhealth.exchange.identity.login;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jupyterhealth.exchange.identity.oauth.TokenAudit;
import org.jupyterhealth.exchange.identity.password.PasswordResetService;
import org.jupyterhealth.exchange.identity.web.FormInput;
import org.jupyterhealth.exchange.identity.web.PublicUrls;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;

/**
 * The page where a person who forgot their password asks for a reset link ({@code /o/forgot}, linked from the
 * sign-in page): an e-mail address in, the same answer out whether an account has it or not
 * ({@link PasswordResetService#requestReset}). Served like the sign-in page ({@link HtmlPages}: same headers, same
 * double-submit CSRF protection). Only a form that is not an address at all is sent back with a message: that says
 * nothing about any account.
 */
@Path("/o/forgot")
@PermitAll
public class ForgotPasswordResource {
    private static final String COOKIE_PATH = "/o/forgot";
    /** Something that can be an address: one {@code @} between non-empty parts, no space, at most 254 characters. */
    private static final Pattern ADDRESS = Pattern.compile("[^\\s@]+@[^\\s@]+");
    private static final int MAX_ADDRESS = 254;
    static final String REQUIRED = "Enter your email address.";
    static final String NOT_AN_ADDRESS = "Enter an email address, such as name@example.org.";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance forgot(ForgotPage page);

        static native TemplateInstance sent(String signInUrl);

        static native TemplateInstance problem(String message);
    }

    /** What the form shows: where it posts, the address typed, and the error next to it. */
    public record ForgotPage(String csrf, String action, String email, String error) {
    }

    private final PasswordResetService resets;
    private final PublicUrls urls;
    /** Whether the CSRF cookie is for HTTPS only: from the configured public URL, never from a request header. */
    private final boolean secure;

    public ForgotPasswordResource(PasswordResetService resets, PublicUrls urls) {
        this.resets = resets;
        this.urls = urls;
        this.secure = urls.secure();
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> show(@CookieParam(HtmlPages.CSRF_COOKIE) String csrfCookie) {
        return Uni.createFrom().item(() -> form(200, HtmlPages.csrfFor(csrfCookie), null, null));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> request(@CookieParam(HtmlPages.CSRF_COOKIE) String csrfCookie, String body) {
        Map<String, List<String>> form;
        try {
            form = FormInput.decode(body);
        } catch (FormInput.MalformedException e) {
            TokenAudit.resetRequested(null, "unreadable_form");
            return Uni.createFrom().item(message(400, "This form cannot be read: " + e.getMessage()
                    + " Open the page again."));
        }
        String csrf = AuthorizationRequestValidator.single(form, HtmlPages.CSRF_FIELD);
        if (!HtmlPages.csrfMatches(csrfCookie, csrf)) {
            TokenAudit.resetRequested(null, "csrf_refused");
            return Uni.createFrom().item(message(403, "This form has expired or did not come from this site. "
                    + "Open the page again."));
        }
        String email = AuthorizationRequestValidator.single(form, "email");
        email = email == null ? null : email.strip();
        if (email == null || email.isEmpty()) {
            return Uni.createFrom().item(form(400, csrf, null, REQUIRED));
        }
        if (email.length() > MAX_ADDRESS || !ADDRESS.matcher(email).matches()) {
            return Uni.createFrom().item(form(400, csrf, email.length() > MAX_ADDRESS ? null : email,
                    NOT_AN_ADDRESS));
        }
        return resets.requestReset(email)
                .map(done -> HtmlPages.html(Response.ok(), Templates.sent(urls.signIn()).render()).build());
    }

    private Response form(int status, String csrf, String email, String error) {
        ForgotPage page = new ForgotPage(csrf, urls.forgotPassword(), email, error);
        return HtmlPages.html(Response.status(status), Templates.forgot(page).render())
                .cookie(HtmlPages.csrfCookie(csrf, COOKIE_PATH, secure)).build();
    }

    private static Response message(int status, String message) {
        return HtmlPages.html(Response.status(status), Templates.problem(message).render()).build();
    }
}
