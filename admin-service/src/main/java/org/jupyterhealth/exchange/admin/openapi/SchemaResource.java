package org.jupyterhealth.exchange.admin.openapi;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

import org.eclipse.microprofile.openapi.annotations.Operation;


/**
 * The OpenAPI document of the admin API and the FHIR API (docs/compatibility.md#openapi), public, at {@code
 * /api/v1/schema/} (the guide) and {@code /api/schema/} (the original): YAML by default, JSON with {@code
 * ?format=json}; Swagger UI at {@code .../swagger-ui/} and ReDoc at {@code .../redoc/}. The document is SmallRye
 * OpenAPI's (served at {@code /api/schema}), merged from the annotated resources and {@code META-INF/openapi.yaml} (the
 * FHIR paths served by fhir-service).
 */
@Path("/")
@PermitAll
public class SchemaResource {
    private static String swagger(String schema) {
        return """
                <!DOCTYPE html><html><head><title>JupyterHealth Exchange API</title><meta charset="utf-8">
                <link rel="stylesheet" href="/api/schema/swagger-ui-assets/swagger-ui.css"></head>
                <body><div id="swagger-ui"></div>
                <script src="/api/schema/swagger-ui-assets/swagger-ui-bundle.js"></script>
                <script>window.ui = SwaggerUIBundle({url: "%s?format=json", dom_id: "#swagger-ui",
                persistAuthorization: true});</script></body></html>""".formatted(schema);
    }

    private static String redoc(String schema) {
        return """
                <!DOCTYPE html><html><head><title>JupyterHealth Exchange API</title><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1"></head>
                <body><redoc spec-url="%s?format=json"></redoc>
                <script src="https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js"></script>
                </body></html>""".formatted(schema);
    }

    @GET
    @Path("api/v1/schema/swagger-ui")
    @Produces("text/html")
    @Operation(hidden = true)
    public String guideSwagger() {
        return swagger("/api/v1/schema/");
    }

    @GET
    @Path("api/schema/swagger-ui")
    @Produces("text/html")
    @Operation(hidden = true)
    public String originalSwagger() {
        return swagger("/api/schema/");
    }

    @GET
    @Path("api/v1/schema/redoc")
    @Produces("text/html")
    @Operation(hidden = true)
    public String guideRedoc() {
        return redoc("/api/v1/schema/");
    }

    @GET
    @Path("api/schema/redoc")
    @Produces("text/html")
    @Operation(hidden = true)
    public String originalRedoc() {
        return redoc("/api/schema/");
    }
}
