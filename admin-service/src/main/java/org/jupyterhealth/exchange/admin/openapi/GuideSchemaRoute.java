package org.jupyterhealth.exchange.admin.openapi;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The guide's schema path {@code /api/v1/schema/} serves the very document of {@code /api/schema/} (no redirect:
 * the guide downloads it with a plain {@code curl ... > jhe-api-schema.yaml}), with its {@code format} choice.
 */
@ApplicationScoped
public class GuideSchemaRoute {

    void register(@Observes Router router) {
        router.get("/api/v1/schema").order(-100).handler(GuideSchemaRoute::serveOriginal);
        router.get("/api/v1/schema/").order(-100).handler(GuideSchemaRoute::serveOriginal);
    }

    private static void serveOriginal(RoutingContext ctx) {
        String query = ctx.request().query();
        ctx.reroute(query == null ? "/api/schema" : "/api/schema?" + query);
    }
}
