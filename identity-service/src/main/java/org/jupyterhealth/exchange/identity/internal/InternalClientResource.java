package org.jupyterhealth.exchange.identity.internal;

import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jupyterhealth.exchange.identity.client.ClientService;
import org.jupyterhealth.exchange.identity.web.ValidationException;

import io.smallrye.mutiny.Uni;

/** OAuth clients, for admin-service only (docs/internal-api.md): service tokens with scope {@code internal}. */
@Path("/internal/clients")
@RolesAllowed("internal")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InternalClientResource {
    private static final int MAX_IDS = 1000;

    private final ClientService clients;

    public InternalClientResource(ClientService clients) {
        this.clients = clients;
    }

    @POST
    public Uni<Response> register(ClientRequest request) {
        if (request == null) {
            throw new ValidationException("name", "This field is required.");
        }
        return clients.registerClient(new ClientService.NewClient(request.name(), request.clientId(),
                request.clientType(), request.grantTypes(), request.redirectUris(), request.invitationUrl(),
                request.ownerUserId()))
                .map(created -> Response.status(201).entity(ClientResponse.of(created.client(), created.secret()))
                        .build());
    }

    /** The clients with the given ids ({@code ?ids=1,2}); unknown ids are left out. */
    @GET
    public Uni<List<ClientResponse>> list(@QueryParam("ids") String ids) {
        return clients.listClients(parseIds(ids))
                .map(list -> list.stream().map(client -> ClientResponse.of(client, null)).toList());
    }

    @GET
    @Path("/{id}")
    public Uni<ClientResponse> get(@PathParam("id") long id) {
        return clients.findClient(id).map(client -> ClientResponse.of(client, null));
    }

    @PATCH
    @Path("/{id}")
    public Uni<ClientResponse> update(@PathParam("id") long id, ClientRequest request) {
        ClientRequest patch = request == null ? new ClientRequest(null, null, null, null, null, null, null) : request;
        return clients.updateClient(id, patch.name(), patch.invitationUrl())
                .map(client -> ClientResponse.of(client, null));
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") long id) {
        return clients.deleteClient(id).replaceWith(Response.noContent().build());
    }

    private static List<Long> parseIds(String ids) {
        List<Long> result = new ArrayList<>();
        if (ids == null || ids.isBlank()) {
            return result;
        }
        for (String part : ids.split(",")) {
            String trimmed = part.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            try {
                result.add(Long.parseLong(trimmed));
            } catch (NumberFormatException e) {
                throw new ValidationException("ids", "A comma-separated list of client ids.");
            }
            if (result.size() > MAX_IDS) {
                throw new ValidationException("ids", "At most " + MAX_IDS + " ids.");
            }
        }
        return result;
    }
}
