package org.jupyterhealth.exchange.gateway.routing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

/**
 * One HTTP client to the services per event loop of the gateway. A request is forwarded on a connection of the
 * event loop that received it, and its answer comes back on that loop: one shared client hands each request to
 * its most recently used connection, whatever loop that connection lives on, and every answer then crosses
 * threads twice (a wake-up of the other loop each way). The connection limit applies per loop.
 */
final class UpstreamClients {
    private static final Object OFF_LOOP = new Object();

    private final Vertx vertx;
    private final HttpClientOptions options;
    private final PoolOptions pool;
    private final Map<Object, HttpClient> byLoop = new ConcurrentHashMap<>();

    UpstreamClients(Vertx vertx, HttpClientOptions options, PoolOptions pool) {
        this.vertx = vertx;
        this.options = options;
        this.pool = pool;
    }

    /** The client of the calling event loop (any other thread shares one client). */
    HttpClient ofThisEventLoop() {
        Object loop = Vertx.currentContext() != null && Vertx.currentContext().isEventLoopContext()
                ? Thread.currentThread()
                : OFF_LOOP;
        return byLoop.computeIfAbsent(loop, key -> vertx.createHttpClient(options, pool));
    }
}
