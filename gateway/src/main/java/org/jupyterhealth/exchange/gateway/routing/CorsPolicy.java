package org.jupyterhealth.exchange.gateway.routing;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * CORS for the browser-facing OAuth endpoints and the public FHIR discovery documents, as the original serves
 * them: any origin, {@code OPTIONS} answered 204. Other paths get no CORS headers.
 */
final class CorsPolicy {
    private CorsPolicy() {
    }

    static void register(Router router) {
        router.route("/o/*").order(-900).handler(CorsPolicy::apply);
        router.route("/o").order(-900).handler(CorsPolicy::apply);
        router.routeWithRegex("/(fhir/r5|FHIR/R5)/(metadata|\\.well-known/smart-configuration)")
                .order(-900).handler(CorsPolicy::apply);
    }

    private static void apply(RoutingContext ctx) {
        var headers = ctx.response().headers();
        headers.set("Access-Control-Allow-Origin", "*");
        headers.set("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
        headers.set("Access-Control-Allow-Headers", "Authorization, Content-Type");
        headers.set("Access-Control-Max-Age", "86400");
        if (ctx.request().method() == HttpMethod.OPTIONS) {
            ctx.response().setStatusCode(204).end();
            return;
        }
        ctx.next();
    }
}
