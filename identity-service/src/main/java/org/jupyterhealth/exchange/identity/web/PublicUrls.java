package org.jupyterhealth.exchange.identity.web;

import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.identity.config.IdentityConfig;

import io.vertx.core.http.HttpServerRequest;

/**
 * The public URLs of the {@code /o} endpoints: from the scheme and host the gateway forwards
 * ({@code X-Forwarded-Proto}, {@code X-Forwarded-Host}), or from the configured public URL. The token issuer is
 * always the configured one: it is what every service checks in the tokens.
 */
@ApplicationScoped
public class PublicUrls {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?");

    private final IdentityConfig config;

    public PublicUrls(IdentityConfig config) {
        this.config = config;
    }

    /** The base of the {@code /o} endpoints for this request, without a trailing slash. */
    public String oauthBase(HttpServerRequest request) {
        String host = request == null ? null : request.getHeader("X-Forwarded-Host");
        if (host != null) {
            host = host.split(",")[0].trim();
        }
        if (host == null || !HOST.matcher(host).matches()) {
            return config.issuer();
        }
        String proto = request.getHeader("X-Forwarded-Proto");
        proto = proto == null ? "http" : proto.split(",")[0].trim().toLowerCase();
        if (!proto.equals("http") && !proto.equals("https")) {
            proto = "http";
        }
        return proto + "://" + host + "/o";
    }

    public String issuer() {
        return config.issuer();
    }
}
