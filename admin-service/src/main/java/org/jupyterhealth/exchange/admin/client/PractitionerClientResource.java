package org.jupyterhealth.exchange.admin.client;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jupyterhealth.exchange.admin.account.IdentityClient;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.security.Caller;
import org.jupyterhealth.exchange.admin.security.Callers;
import org.jupyterhealth.exchange.admin.web.Body;
import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;
import org.jupyterhealth.exchange.admin.web.Paging;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jupyterhealth.exchange.admin.openapi.RequestBodies;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * {@code /api/v1/practitioner_clients} (docs/compatibility.md#practitioner-clients): a practitioner's own
 * client-credentials clients for automation; its tokens act as the practitioner. Self-scoped: another practitioner's
 * client is 404.
 */
@Path("/api/v1/practitioner_clients")
@Authenticated
@Tag(name = "practitioner clients")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PractitionerClientResource {
    static final String ONLY_PRACTITIONERS = "Only practitioner users can manage practitioner clients.";

    private final Db db;
    private final Callers callers;
    private final Paging paging;
    private final IdentityClient identity;

    public PractitionerClientResource(Db db, Callers callers, IdentityClient identity, Paging paging) {
        this.db = db;
        this.callers = callers;
        this.paging = paging;
        this.identity = identity;
    }

    private Uni<Caller> practitioner() {
        return callers.current().invoke(caller -> {
            if (!caller.isPractitioner()) {
                throw Errors.forbidden(ONLY_PRACTITIONERS);
            }
        });
    }

    private static Map<String, Object> map(io.vertx.mutiny.sqlclient.Row r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", r.getLong("id"));
        out.put("label", r.getString("label"));
        out.put("created", r.getOffsetDateTime("created"));
        out.put("name", r.getString("name"));
        out.put("key", r.getString("api_key"));
        return out;
    }

    private Uni<Map<String, Object>> own(Caller caller, long id) {
        return db.one("SELECT * FROM practitioner_client WHERE id = $1 AND practitioner_id = $2",
                PractitionerClientResource::map, id, caller.practitionerId()).invoke(c -> {
                    if (c == null) {
                        throw Errors.notFound("PractitionerClient");
                    }
                });
    }

    @GET
    public Uni<Page<Map<String, Object>>> list(@Context UriInfo uri) {
        PageRequest page = paging.of(uri, PageRequest.MAX_SIZE);
        return practitioner().flatMap(caller -> db.count("SELECT count(*) FROM practitioner_client "
                + "WHERE practitioner_id = $1", caller.practitionerId()).flatMap(count -> {
                    PageRequest resolved = page.resolve(count);
                    return db.list("SELECT * FROM practitioner_client WHERE practitioner_id = $1 "
                            + "ORDER BY created DESC, id DESC OFFSET $2 LIMIT $3", PractitionerClientResource::map,
                            caller.practitionerId(), resolved.offset(), resolved.limit())
                            .map(rows -> resolved.page(count, rows));
                }));
    }

    @GET
    @Path("/{id}")
    public Uni<Map<String, Object>> get(@PathParam("id") long id) {
        return practitioner().flatMap(caller -> own(caller, id));
    }

    @POST
    public Uni<Response> create(@RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.PractitionerClient.class))) JsonNode json) {
        String label = Body.of(json).string("label");
        return practitioner().flatMap(caller -> {
            String name = "_practitioner_client_" + caller.practitionerId() + "_"
                    + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
            return identity.createClient(new IdentityClient.NewClient(name, null, "confidential",
                    List.of("client_credentials"), List.of(), null, caller.userId()))
                    .onFailure().transform(ClientService::identityFailure)
                    .flatMap(created -> {
                        String key = Base64.getEncoder().encodeToString((created.clientId() + ":"
                                + created.clientSecret()).getBytes(StandardCharsets.UTF_8));
                        // should the record not be stored, the client just created in identity-service goes too
                        return db.inTransaction(tx -> Db.update(tx, "INSERT INTO oauth_client (id, client_id, name, "
                                + "kind) VALUES ($1, $2, $3, 'practitioner')", created.id(), created.clientId(), name)
                                .chain(() -> Db.one(tx, "INSERT INTO practitioner_client (client_id, practitioner_id, "
                                        + "label, name, api_key) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                                        r -> r.getLong(0), created.id(), caller.practitionerId(),
                                        label == null ? "" : label, name, key)))
                                .onFailure().call(e -> ClientService.forgetCreatedClient(identity, created.id()));
                    })
                    .flatMap(id -> own(caller, id));
        }).map(c -> Response.status(201).entity(c).build());
    }

    /** Only the label may change. */
    @PATCH
    @Path("/{id}")
    public Uni<Map<String, Object>> patch(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.PractitionerClient.class))) JsonNode json) {
        String label = Body.of(json).string("label");
        return practitioner().flatMap(caller -> own(caller, id)
                .chain(() -> db.inTransaction(tx -> Db.update(tx, "UPDATE practitioner_client SET label = "
                        + "COALESCE($2, label) WHERE id = $1", id, label)))
                .chain(() -> own(caller, id)));
    }

    /**
     * Deletes the client here and in identity-service, in one transaction that commits only once identity-service
     * has deleted it (its 404 counts as done).
     */
    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") long id) {
        return practitioner().flatMap(caller -> own(caller, id)
                .chain(() -> db.one("SELECT client_id FROM practitioner_client WHERE id = $1", r -> r.getLong(0), id))
                .flatMap(clientPk -> db.inTransaction(tx -> Db.update(tx, "DELETE FROM oauth_client WHERE id = $1",
                        clientPk)
                        .call(() -> identity.deleteClient(clientPk)
                                .onFailure(e -> e instanceof WebApplicationException w
                                        && w.getResponse().getStatus() == 404).recoverWithNull()
                                .onFailure().transform(ClientService::identityFailure)))))
                .map(n -> Response.noContent().build());
    }
}
