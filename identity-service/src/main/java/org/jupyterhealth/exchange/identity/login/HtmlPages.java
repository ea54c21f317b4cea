package org.jupyterhealth.exchange.identity.login;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.jupyterhealth.exchange.identity.token.RandomTokens;

/**
 * What the server-rendered pages of {@code /o} (the sign-in page, the activation page) share: their headers and
 * their protection against cross-site request forgery.
 * <p>
 * A form is protected by a double-submit token: a random value in an HttpOnly, SameSite=Strict cookie scoped to the
 * form's path, and the same value in a hidden field; a POST without both, equal, is refused.
 */
final class HtmlPages {
    static final String CSRF_COOKIE = "jhe_csrf";
    static final String CSRF_FIELD = "csrf_token";
    /** Where a page's script sends the CSRF token with its own requests. */
    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Pattern CSRF_VALUE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private HtmlPages() {
    }

    /** The CSRF token of a page: the browser's own when it has a well-formed one, else a new one. */
    static String csrfFor(String cookie) {
        return cookie != null && CSRF_VALUE.matcher(cookie).matches() ? cookie : newCsrf();
    }

    /** Whether a form came with the page's CSRF token: the cookie well-formed, and the field equal to it. */
    static boolean csrfMatches(String cookie, String field) {
        return cookie != null && CSRF_VALUE.matcher(cookie).matches()
                && RandomTokens.equalsConstantTime(cookie, field);
    }

    /** The cookie half of the CSRF token, sent back only to {@code path}; Secure when the public URL is https. */
    static NewCookie csrfCookie(String csrf, String path, boolean secure) {
        return new NewCookie.Builder(CSRF_COOKIE).value(csrf).path(path).httpOnly(true).secure(secure)
                .sameSite(NewCookie.SameSite.STRICT).maxAge(3600).build();
    }

    /**
     * A page: never cached, never framed, no script and nothing loaded from anywhere (styles are inline), and no
     * {@code Referer} to any other site (the activation page's URL holds its token).
     */
    static Response.ResponseBuilder html(Response.ResponseBuilder response, String body) {
        return html(response, body, "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    }

    private static Response.ResponseBuilder html(Response.ResponseBuilder response, String body, String policy) {
        return response.type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(body)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .header("X-Frame-Options", "DENY")
                .header("Content-Security-Policy", policy)
                .header("Referrer-Policy", "no-referrer")
                .header("X-Content-Type-Options", "nosniff");
    }

    /**
     * A page with a script, the passkey pages': as {@link #html}, and scripts and requests from this site only (the
     * script is a file of its own: nothing inline runs). No {@code form-action}: the sign-in form's answer
     * redirects to the client's own site, which browsers would check against it.
     */
    static Response.ResponseBuilder htmlWithScript(Response.ResponseBuilder response, String body) {
        return html(response, body, "default-src 'none'; script-src 'self'; connect-src 'self'; "
                + "style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'");
    }

    /** A refusal of a page's script request, in the documented error shape. */
    static Response jsonProblem(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(java.util.Map.of("error", status == 401 ? "login_required" : "access_denied",
                        "error_description", message))
                .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    private static String newCsrf() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
