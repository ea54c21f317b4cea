package org.jupyterhealth.exchange.common.web;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * The security headers of every answer on a public port, whatever produced it (a resource, an exception mapper,
 * Quarkus itself, or the gateway), so that they are there with or without the gateway in front. Each service
 * registers it by depending on common; the gateway adds them to its own answers and to any answer of a service
 * that lacks them.
 *
 * <ul>
 * <li>{@code X-Content-Type-Options: nosniff}: a browser never runs a JSON answer as a script or a page.</li>
 * <li>{@code Cache-Control: no-store} unless the answer chose its caching itself (public discovery documents, the
 * FHIR CapabilityStatement): health data, tokens and account data stay out of shared and browser caches.</li>
 * <li>{@code Referrer-Policy: no-referrer}: URLs of the exchange (with ids, codes) never leak to other sites.</li>
 * <li>{@code X-Frame-Options: DENY} and {@code Content-Security-Policy: frame-ancestors 'none'}: no page of the
 * exchange (the sign-in page above all) can be framed. The policy restricts framing only, so the Swagger UI and
 * ReDoc pages keep their scripts; a page that sets its own policy (the sign-in page) keeps it.</li>
 * <li>{@code Strict-Transport-Security} on answers to requests that came over HTTPS, directly or through the
 * ingress and gateway ({@code X-Forwarded-Proto}): a browser ignores it over plain HTTP (RFC 6797 §8.1), where it
 * must not be sent (§7.2), so a deployment whose public URL is https gets it and a local run does not.</li>
 * </ul>
 */
@Singleton
public class SecurityHeaders {
    /** Before every route of a service, and before the gateway's own checks (order -1000), which may answer. */
    static final int PRIORITY = 2000;

    static final String HSTS = "max-age=31536000";

    void register(@Observes Filters filters) {
        filters.register(SecurityHeaders::addOnAnswer, PRIORITY);
    }

    private static void addOnAnswer(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        ctx.addHeadersEndHandler(v -> addTo(ctx.response().headers(), isSecure(request)));
        ctx.next();
    }

    /** Adds the headers an answer lacks; those it set itself stay as they are. */
    public static void addTo(MultiMap headers, boolean secure) {
        headers.set("X-Content-Type-Options", "nosniff");
        addIfAbsent(headers, "Cache-Control", "no-store");
        addIfAbsent(headers, "Referrer-Policy", "no-referrer");
        addIfAbsent(headers, "X-Frame-Options", "DENY");
        addIfAbsent(headers, "Content-Security-Policy", "frame-ancestors 'none'");
        if (secure) {
            addIfAbsent(headers, "Strict-Transport-Security", HSTS);
        }
    }

    private static void addIfAbsent(MultiMap headers, String name, String value) {
        if (!headers.contains(name)) {
            headers.set(name, value);
        }
    }

    /** Whether the client reached the exchange over HTTPS, as far as this server can tell. */
    static boolean isSecure(HttpServerRequest request) {
        if (request.isSSL()) {
            return true;
        }
        String proto = request.getHeader("X-Forwarded-Proto");
        return proto != null && proto.trim().regionMatches(true, 0, "https", 0, 5);
    }
}
