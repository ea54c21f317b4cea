package org.jupyterhealth.exchange.gateway.web;

import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.common.web.SecretPaths;

import io.vertx.core.http.HttpServerRequest;

/**
 * One line per request: method, path, status, duration, upstream and request id. The query string is never
 * logged, since it can carry e-mail addresses and other personal data, and credentials in the path (an invitation
 * token) are replaced ({@link SecretPaths}).
 */
public final class AccessLog {
    private static final Logger LOG = Logger.getLogger("org.jupyterhealth.exchange.gateway.access");

    private AccessLog() {
    }

    public static void record(HttpServerRequest request, String requestId, String upstream, int status, long startNanos) {
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        if (LOG.isInfoEnabled()) {
            // concatenated rather than formatted: this runs for every request
            LOG.info(request.method() + " " + SecretPaths.redact(request.path()) + " " + status + " " + millis
                    + "ms upstream=" + upstream + " request_id=" + requestId);
        }
    }
}
