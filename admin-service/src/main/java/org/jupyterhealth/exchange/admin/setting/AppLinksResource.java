package org.jupyterhealth.exchange.admin.setting;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;

/**
 * The app-link association files at {@code /.well-known/}: iOS and Android fetch them from the exchange's host to let
 * the study's mobile app open invitation links itself instead of the browser. Each is the JSON of a setting
 * ({@link AppLinks#APPLE}, {@link AppLinks#ANDROID}), served verbatim to anyone, so that a deployment names its own
 * apps without a release; without the setting the file does not exist (404).
 */
@Path("/.well-known")
@PermitAll
@Tag(name = "app links")
@Produces(MediaType.APPLICATION_JSON)
public class AppLinksResource {
    private final AppLinks links;

    public AppLinksResource(AppLinks links) {
        this.links = links;
    }

    @GET
    @Path("/apple-app-site-association")
    @Operation(summary = "iOS universal-links association (setting " + AppLinks.APPLE + ")")
    public Uni<Response> apple() {
        return links.file(AppLinks.APPLE);
    }

    @GET
    @Path("/assetlinks.json")
    @Operation(summary = "Android app-links statement list (setting " + AppLinks.ANDROID + ")")
    public Uni<Response> android() {
        return links.file(AppLinks.ANDROID);
    }
}
