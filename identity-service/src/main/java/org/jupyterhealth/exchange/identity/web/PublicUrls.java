package org.jupyterhealth.exchange.identity.web;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.identity.config.IdentityConfig;

/**
 * The public URLs of the {@code /o} endpoints, from the configured public URL only. They are never built from the
 * request's {@code Host} or {@code X-Forwarded-Host}: whoever can send a request could otherwise make the discovery
 * document point clients (and their passwords and codes) at a host of their choosing, and a cache would keep
 * serving it to everyone.
 */
@ApplicationScoped
public class PublicUrls {
    private final IdentityConfig config;

    public PublicUrls(IdentityConfig config) {
        this.config = config;
    }

    /** The base of the {@code /o} endpoints, without a trailing slash: the issuer. */
    public String oauthBase() {
        return config.issuer();
    }

    /** The activation page, which an activation link opens with its token. */
    public String activation() {
        return oauthBase() + "/activate";
    }

    /** The page where a person who forgot their password asks for a reset link. */
    public String forgotPassword() {
        return oauthBase() + "/forgot";
    }

    /** The page a reset link opens with its token. */
    public String reset() {
        return oauthBase() + "/reset";
    }

    /** Where a person signs in after activating their account: the configured address, else the public URL. */
    public String signIn() {
        return config.activation().signInUrl().filter(url -> !url.isBlank())
                .orElseGet(() -> IdentityConfig.stripTrailingSlash(config.publicUrl()) + "/");
    }

    public String issuer() {
        return config.issuer();
    }

    /** Whether browsers reach the exchange over HTTPS, so that its cookies are sent over HTTPS only. */
    public boolean secure() {
        return config.publicUrl().regionMatches(true, 0, "https:", 0, 6);
    }
}
