package org.jupyterhealth.exchange.admin.web;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.jupyterhealth.exchange.admin.config.AdminConfig;

/**
 * The {@code Location} of a record a request created, on the exchange's public URL ({@code jhe.admin.public-url}),
 * as paging links are: the request's {@code Host} is the client's word.
 */
@ApplicationScoped
public class Locations {
    private final String publicUrl;

    public Locations(AdminConfig config) {
        this.publicUrl = config.publicUrl().replaceAll("/+$", "");
    }

    /**
     * A 201 with the record and its {@code Location}: {@code path} ({@code /api/v1/organizations/7}) on the public
     * URL.
     */
    public Response created(String path, Object entity) {
        return Response.created(URI.create(publicUrl + path)).entity(entity).build();
    }
}
