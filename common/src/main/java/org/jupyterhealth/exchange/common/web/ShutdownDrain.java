package org.jupyterhealth.exchange.common.web;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Lets a stopping service finish the requests under way instead of taking on new ones. From the moment the process
 * is told to stop (TERM: {@code ./jhe stop}, the end of a Kubernetes pod), every new request on the public port is
 * answered at once with 503, {@code Retry-After} and {@code Connection: close}, in the path's dialect; the requests
 * already under way go on, and Quarkus's graceful shutdown ({@code quarkus.shutdown.timeout}) waits for them.
 *
 * <p>Quarkus's own graceful shutdown only counts requests: it keeps serving new ones until none is left, so under
 * steady traffic its wait never ends before the timeout, and whatever is under way then is cut off. The signal is
 * taken from a JVM shutdown hook, which runs the moment TERM arrives, beside Quarkus's own, before its wait begins.
 * Health checks (on the management port) are not affected.
 */
@Singleton
public class ShutdownDrain {
    /** After {@link SecurityHeaders}, so that the 503 carries them, and before every route. */
    static final int PRIORITY = SecurityHeaders.PRIORITY - 10;

    private final AtomicBoolean draining = new AtomicBoolean();

    void register(@Observes Filters filters) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> draining.set(true), "jhe-shutdown-drain"));
        filters.register(this::refuseWhileDraining, PRIORITY);
    }

    private void refuseWhileDraining(RoutingContext ctx) {
        if (!draining.get()) {
            ctx.next();
            return;
        }
        ErrorDialect dialect = ErrorDialect.forRequest(ctx);
        ctx.response()
                .setStatusCode(503)
                .putHeader(HttpHeaders.CONTENT_TYPE, dialect.contentType())
                .putHeader(HttpHeaders.RETRY_AFTER, "1")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(dialect.body(503, "The service is shutting down. Try again shortly."));
    }
}
