package org.jupyterhealth.exchange.gateway.routing;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.common.web.ErrorDialect;
import org.jupyterhealth.exchange.common.web.RequestIds;
import org.jupyterhealth.exchange.common.web.SecretPaths;
import org.jupyterhealth.exchange.gateway.config.GatewayConfig;
import org.jupyterhealth.exchange.gateway.web.AccessLog;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.proxy.handler.ProxyHandler;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyRequest;
import io.vertx.httpproxy.ProxyResponse;

/**
 * The routing table of the gateway: {@code /o/**} to identity-service,
 * {@code /api/v1/observations**}, {@code /api/v1/fhir_sources/{id}/index_refs} and {@code /fhir/r5/**},
 * {@code /FHIR/R5/**} to fhir-service, the rest of {@code /api/**} to admin-service, the web console's {@code /} and {@code /console/**} to the console. Bodies are streamed, never buffered. {@code /internal/**} and {@code /q/**} are
 * never routed: the services' health and metrics live on their management ports, out of the public's reach.
 */
@ApplicationScoped
public class ProxyRoutes {
    private static final Logger LOG = Logger.getLogger(ProxyRoutes.class);
    private static final String REQUEST_ID = "jhe.requestId";
    private static final String UPSTREAM = "jhe.upstream";
    private static final String STARTED = "jhe.started";
    private static final String BODY_LIMIT = "jhe.bodyLimit";
    /**
     * The largest piece of a service's answer handed on at once. Each piece is one write to the client's socket
     * (and one wake-up of the client), so a piece as large as what a service sends at once (a page of search
     * results) leaves in one write, as it arrived, rather than in Vert.x's default 8 KiB pieces.
     */
    private static final int UPSTREAM_CHUNK_BYTES = 64 * 1024;

    private final GatewayConfig config;
    private final long maxBodySize;
    private final String healthAnswer;
    /**
     * Set when the process starts to stop (TERM). From then on every new request is refused at once, so that the
     * requests under way are the only ones Quarkus' graceful shutdown waits for: a request accepted and forwarded
     * while stopping would keep the count of requests under way above zero for as long as clients keep sending, and
     * the stop would wait out its whole timeout.
     */
    private volatile boolean stopping;

    /**
     * @param maxBodySize the largest request body, the exchange's one limit: the services behind take as much, and
     *        the gateway's own HTTP server limit is the same, so that this check answers first, in the dialect
     * @param version     the release, which {@code /health} names as the original's does ({@code v} and the version):
     *                    monitors and apps read it to tell which server they talk to
     */
    public ProxyRoutes(GatewayConfig config, @ConfigProperty(name = "jhe.max-body-size") MemorySize maxBodySize,
            @ConfigProperty(name = "quarkus.application.version") String version) {
        this.config = config;
        this.maxBodySize = maxBodySize.asLongValue();
        this.healthAnswer = new JsonObject().put("status", "ok").put("version", "v" + version).encode();
    }

    void register(@Observes Router router, Vertx vertx) {
        UpstreamClients client = new UpstreamClients(vertx, new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setMaxChunkSize(UPSTREAM_CHUNK_BYTES)
                // as large as the headers the gateway itself accepts, so that an answer header it lets a client
                // send (a redirect repeating the request's parameters) also comes back rather than failing as a 502
                .setMaxHeaderSize(64 * 1024)
                .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(config.maxConnectionsPerService()));

        Upstream identity = Upstream.of("identity-service", "sign-in service", config.identityUrl());
        Upstream admin = Upstream.of("admin-service", "administration service", config.adminUrl());
        Upstream fhir = Upstream.of("fhir-service", "FHIR service", config.fhirUrl());
        Upstream console = Upstream.of("console", "console", config.consoleUrl());

        router.route().order(-1000).handler(this::prepare);

        RateLimiter limiter = new RateLimiter(config.rateLimit(), config.trustForwardedHeaders());
        if (limiter.enabled()) {
            vertx.setPeriodic(30_000, id -> limiter.evictIdle());
            router.route().order(-950).handler(ctx -> {
                long wait = limiter.acquire(ctx.request(), ctx.normalizedPath());
                if (wait > 0) {
                    ctx.response().putHeader(HttpHeaders.RETRY_AFTER, Long.toString(wait));
                    fail(ctx, 429, "Request was throttled. Expected available in " + wait + " second"
                            + (wait == 1 ? "." : "s."));
                    return;
                }
                ctx.next();
            });
        }

        CorsPolicy.register(router);

        forward(router, client, identity, "/o", "/o/*");
        forward(router, client, fhir, "/api/v1/observations", "/api/v1/observations/*");
        // a FHIR source's reference indexing rewrites the resource store's resources: fhir-service's; the rest of
        // /api/v1/fhir_sources is admin-service's
        forwardMatching(router, client, fhir, "/api/v1/fhir_sources/[^/]+/index_refs/?");
        forward(router, client, admin, "/api/v1", "/api/v1/*", "/api/schema", "/api/schema/*");
        // the app-link association files, which phones fetch from the host that serves the invitation links
        forward(router, client, admin, "/.well-known/apple-app-site-association", "/.well-known/assetlinks.json");
        forward(router, client, fhir, "/fhir/r5", "/fhir/r5/*", "/FHIR/R5", "/FHIR/R5/*");
        // the web console: the exchange's own address opens it (exactly "/": any other unknown path stays a 404)
        forward(router, client, console, "/", "/console", "/console/*");

        router.get("/health").handler(ctx -> ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(healthAnswer));

        // everything else, /q/** included: health and metrics are served on the management port only
        router.route().last().handler(ctx -> fail(ctx, 404, "Not found."));
    }

    /** Quarkus fires this when a stop begins, before it waits for the requests under way. */
    void onStopping(@Observes ShutdownDelayInitiatedEvent event) {
        stopping = true;
    }

    /** Request id, timing and the size limit for every request, before any routing decision. */
    private void prepare(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (!config.trustForwardedHeaders()) {
            // the gateway is the edge: what a client says about where it came from is not believed by anyone
            // (the proxy sets them afresh; the security headers take the scheme of the connection itself)
            request.headers().remove("X-Forwarded-For").remove("X-Forwarded-Host").remove("X-Forwarded-Proto")
                    .remove("Forwarded");
        }
        String requestId = RequestIds.acceptOrGenerate(request.getHeader(RequestIds.HEADER));
        request.headers().set(RequestIds.HEADER, requestId);
        ctx.put(REQUEST_ID, requestId);
        ctx.put(STARTED, System.nanoTime());
        HttpServerResponse response = ctx.response();
        // set last, so that the one id replaces the copy a service echoes
        ctx.addHeadersEndHandler(v -> response.headers().set(RequestIds.HEADER, requestId));
        ctx.addEndHandler(done -> AccessLog.record(request, requestId, ctx.get(UPSTREAM, "gateway"),
                response.getStatusCode(), ctx.get(STARTED)));

        if (stopping) {
            // the client's next attempt opens a new connection, which the gateway's replacement (or another
            // replica) takes
            response.putHeader(HttpHeaders.CONNECTION, "close").putHeader(HttpHeaders.RETRY_AFTER, "1");
            fail(ctx, 503, "The gateway is restarting. Try again shortly.");
            return;
        }
        if (UriEscaper.hasMalformedEscape(request.uri())) {
            // the services' HTTP layer would refuse it with a bare 400; answered here in the path's dialect
            fail(ctx, 400, "The request URI contains a malformed percent-escape.");
            return;
        }
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null) {
            long length;
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                fail(ctx, 400, "Invalid Content-Length header.");
                return;
            }
            if (length > maxBodySize) {
                response.putHeader(HttpHeaders.CONNECTION, "close");
                fail(ctx, 413, "Request body exceeds the limit of " + maxBodySize + " bytes.");
                return;
            }
        }
        ctx.next();
    }

    private void forward(Router router, UpstreamClients clients, Upstream upstream, String... paths) {
        HttpProxy proxy = HttpProxy.reverseProxy(clients.ofThisEventLoop());
        long timeoutMillis = config.upstreamTimeout().toMillis();
        proxy.origin(context -> clients.ofThisEventLoop().request(new RequestOptions().setServer(upstream.address()))
                .map(request -> request.idleTimeout(timeoutMillis)));
        proxy.addInterceptor(new ForwardingInterceptor(upstream, maxBodySize, config.trustForwardedHeaders()));
        ProxyHandler handler = ProxyHandler.create(proxy);
        for (String path : paths) {
            router.route(path).handler(ctx -> {
                ctx.put(UPSTREAM, upstream.name());
                handler.handle(ctx);
            });
        }
    }

    /** As {@link #forward}, for the paths that match a regular expression. */
    private void forwardMatching(Router router, UpstreamClients clients, Upstream upstream, String regex) {
        HttpProxy proxy = HttpProxy.reverseProxy(clients.ofThisEventLoop());
        long timeoutMillis = config.upstreamTimeout().toMillis();
        proxy.origin(context -> clients.ofThisEventLoop().request(new RequestOptions().setServer(upstream.address()))
                .map(request -> request.idleTimeout(timeoutMillis)));
        proxy.addInterceptor(new ForwardingInterceptor(upstream, maxBodySize, config.trustForwardedHeaders()));
        ProxyHandler handler = ProxyHandler.create(proxy);
        router.routeWithRegex(regex).handler(ctx -> {
            ctx.put(UPSTREAM, upstream.name());
            handler.handle(ctx);
        });
    }

    static void fail(RoutingContext ctx, int status, String message) {
        ErrorDialect dialect = ErrorDialect.forRequest(ctx);
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, dialect.contentType())
                .end(dialect.body(status, message));
    }

    /**
     * Adds the forwarding headers and the request id, rewrites the URI to its normalised path, limits streamed
     * bodies, and turns a failure to reach the service into an answer in the path's dialect.
     */
    private static final class ForwardingInterceptor implements ProxyInterceptor {
        private static final Pattern HOST = Pattern.compile(
                "[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]{2,45}\\](:[0-9]{1,5})?");

        private final Upstream upstream;
        private final long maxBodySize;
        private final boolean trustForwardedHeaders;

        ForwardingInterceptor(Upstream upstream, long maxBodySize, boolean trustForwardedHeaders) {
            this.upstream = upstream;
            this.maxBodySize = maxBodySize;
            this.trustForwardedHeaders = trustForwardedHeaders;
        }

        @Override
        public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
            ProxyRequest request = context.request();
            HttpServerRequest inbound = request.proxiedRequest();

            String path = UriEscaper.escape(inbound.path());
            String query = UriEscaper.escape(inbound.query());
            request.setURI(query == null ? path : path + "?" + query);

            var headers = request.headers();
            String proto = headers.get("X-Forwarded-Proto");
            String host = headers.get("X-Forwarded-Host");
            String chain = headers.get("X-Forwarded-For");
            if (!trustForwardedHeaders || proto == null || !(proto.equals("http") || proto.equals("https"))) {
                proto = inbound.scheme() == null ? "http" : inbound.scheme();
            }
            if (!trustForwardedHeaders || host == null || !HOST.matcher(host).matches()) {
                host = inbound.authority() == null ? null : inbound.authority().toString();
            }
            if (!trustForwardedHeaders) {
                chain = null;
            }
            headers.set("X-Forwarded-Proto", proto);
            if (host != null) {
                headers.set("X-Forwarded-Host", host);
            } else {
                headers.remove("X-Forwarded-Host");
            }
            String remote = inbound.remoteAddress() == null ? null : inbound.remoteAddress().hostAddress();
            if (remote != null) {
                headers.set("X-Forwarded-For", chain == null ? remote : chain + ", " + remote);
            }

            Body body = request.getBody();
            if (body != null && body.length() < 0 && inbound.method() != HttpMethod.GET) {
                // a body of unannounced length (chunked, or HTTP/2 without content-length) is re-chunked upstream
                if (!inbound.headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
                    inbound.headers().set(HttpHeaders.TRANSFER_ENCODING, "chunked");
                }
                BodyLimit limited = new BodyLimit(body.stream(), maxBodySize);
                context.set(BODY_LIMIT, limited);
                request.setBody(Body.body(limited, -1));
            }

            return context.sendRequest().recover(failure -> {
                if (!mayRetry(inbound, failure)) {
                    return Future.succeededFuture(answerFailure(context, failure, false));
                }
                // sent again on a new connection, once; the first one had no body to replay
                request.setBody(Body.body(Buffer.buffer()));
                return context.sendRequest()
                        .recover(again -> Future.succeededFuture(answerFailure(context, again, true)));
            });
        }

        /**
         * A request that met a connection the service was closing (a pooled connection it closed as it stopped, or
         * one it dropped) is sent once more when that is harmless: a method without effects and no body, and a
         * failure that is neither a refused connection (nobody listens: 503 at once) nor a timeout (the service
         * is busy with it). Otherwise every stop of a service behind a busy gateway would cut off a few reads that
         * never reached it. If the second connection fails as well, the service is going away: 503, as for a
         * service nobody answers for, so that the client tries again shortly (as Envoy answers a reset before any
         * response).
         */
        private static boolean mayRetry(HttpServerRequest inbound, Throwable failure) {
            HttpMethod method = inbound.method();
            boolean safe = method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS;
            String length = inbound.getHeader(HttpHeaders.CONTENT_LENGTH);
            boolean bodiless = (length == null || length.trim().equals("0"))
                    && !inbound.headers().contains(HttpHeaders.TRANSFER_ENCODING);
            return safe && bodiless && !(failure instanceof TimeoutException) && !(failure instanceof ConnectException);
        }

        /** @param retried the request was sent twice, and met a closing connection both times */
        private ProxyResponse answerFailure(ProxyContext context, Throwable failure, boolean retried) {
            BodyLimit limit = context.get(BODY_LIMIT, BodyLimit.class);
            int status;
            String message;
            if (limit != null && limit.exceeded()) {
                status = 413;
                message = "Request body exceeds the limit of " + maxBodySize + " bytes.";
            } else if (failure instanceof TimeoutException) {
                status = 504;
                message = "The " + upstream.publicName() + " did not answer in time.";
            } else if (failure instanceof ConnectException || retried) {
                status = 503;
                message = "The " + upstream.publicName() + " is unavailable. Try again shortly.";
            } else {
                status = 502;
                message = "The " + upstream.publicName() + " failed to answer.";
            }
            String path = context.request().proxiedRequest().path();
            if (status != 413) {
                // an oversized body is the client's doing, and its 413 is in the access log already
                LOG.warnf("upstream %s failed for %s: %s (answered %d)", upstream.name(), SecretPaths.redact(path),
                        failure.getClass().getSimpleName(), status);
            }
            ErrorDialect dialect = ErrorDialect.forPath(path);
            ProxyResponse response = context.request().release().response()
                    .setStatusCode(status)
                    .putHeader(HttpHeaders.CONTENT_TYPE, dialect.contentType())
                    .setBody(Body.body(dialect.body(status, message)));
            if (status == 503) {
                response.putHeader(HttpHeaders.RETRY_AFTER, "5");
            }
            if (status == 413) {
                response.putHeader(HttpHeaders.CONNECTION, "close");
            }
            return response;
        }
    }
}
