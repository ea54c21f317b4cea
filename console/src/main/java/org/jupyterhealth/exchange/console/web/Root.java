package org.jupyterhealth.exchange.console.web;

import java.net.URI;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/** The exchange's address itself ({@code /}, routed here by the gateway) opens the console. */
@Path("/")
public class Root {

    @GET
    @PermitAll
    public Response root() {
        return Response.seeOther(URI.create("/console/")).build();
    }
}
