package org.jupyterhealth.exchange.admin.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.admin.account.IdentityClient;
import org.jupyterhealth.exchange.admin.config.AdminConfig;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.security.Callers;
import org.jupyterhealth.exchange.admin.web.AdminException;
import org.jupyterhealth.exchange.admin.web.AdminException.UnavailableException;
import org.jupyterhealth.exchange.admin.web.Body;
import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;
import org.jupyterhealth.exchange.admin.web.Paging;
import org.jupyterhealth.exchange.admin.web.TextRules;
import org.jupyterhealth.exchange.admin.web.UrlRules;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jupyterhealth.exchange.admin.openapi.RequestBodies;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * {@code /api/v1/clients} (docs/compatibility.md#patient-apps): patient apps, public authorization-code OAuth clients
 * registered in identity-service with an invitation URL. Written by superusers; their data sources by superusers too
 * (docs/compatibility.md#missing-permission-checks).
 */
@Path("/api/v1/clients")
@Authenticated
@Tag(name = "clients")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ClientResource {
    private static final Logger LOG = Logger.getLogger(ClientResource.class);
    /** identity-service's rule for a client id, applied here so that it refuses nothing after a first write. */
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._~-]{1,100}");
    private static final String CLIENT_ID_RULE = "Use 1 to 100 letters, digits, '.', '_', '~' or '-'.";

    private final Db db;
    private final Callers callers;
    private final Paging paging;
    private final IdentityClient identity;
    private final AdminConfig config;

    public ClientResource(Db db, Callers callers, IdentityClient identity, AdminConfig config, Paging paging) {
        this.db = db;
        this.callers = callers;
        this.paging = paging;
        this.identity = identity;
        this.config = config;
    }

    public record ClientResponse(long id, String name, String clientId, String invitationUrl) {
    }

    private Uni<Void> superuser() {
        return callers.current().invoke(caller -> {
            if (!caller.superuser()) {
                throw Errors.forbidden();
            }
        }).replaceWithVoid();
    }

    private static ClientResponse map(io.vertx.mutiny.sqlclient.Row r) {
        return new ClientResponse(r.getLong("id"), r.getString("name"), r.getString("client_id"),
                r.getString("invitation_url"));
    }

    private Uni<ClientResponse> find(long id) {
        return db.one("SELECT * FROM oauth_client WHERE id = $1 AND kind = 'patient'", ClientResource::map, id)
                .invoke(c -> {
                    if (c == null) {
                        throw Errors.notFound("Client");
                    }
                });
    }

    static Throwable identityFailure(Throwable e) {
        if (e instanceof AdminException) {
            return e;
        }
        if (e instanceof WebApplicationException w && w.getResponse().getStatus() < 500
                && w.getResponse().getStatus() != 401) {
            return w.getResponse().getStatus() == 409 ? Errors.conflict("This client id is already taken.")
                    : Errors.invalid("identity-service refused the client (" + w.getResponse().getStatus() + ").");
        }
        return new UnavailableException("The account service is unavailable; try again later.");
    }

    @GET
    public Uni<Page<ClientResponse>> list(@Context UriInfo uri) {
        PageRequest page = paging.of(uri, PageRequest.MAX_SIZE);
        return callers.current().chain(() -> db.count("SELECT count(*) FROM oauth_client WHERE kind = 'patient'"))
                .flatMap(count -> {
                    PageRequest resolved = page.resolve(count);
                    return db.list("SELECT * FROM oauth_client WHERE kind = 'patient' ORDER BY id OFFSET $1 LIMIT $2",
                            ClientResource::map, resolved.offset(), resolved.limit())
                            .map(rows -> resolved.page(count, rows));
                });
    }

    @GET
    @Path("/{id}")
    public Uni<ClientResponse> get(@PathParam("id") long id) {
        return callers.current().chain(() -> find(id));
    }

    /** A client id as identity-service accepts it, trimmed; null when absent. */
    private static String clientId(Body body) {
        String clientId = body.string("clientId", TextRules.MAX_CLIENT_ID);
        if (clientId != null && !CLIENT_ID.matcher(clientId.trim()).matches()) {
            throw TextRules.invalid("clientId", CLIENT_ID_RULE);
        }
        return clientId == null ? null : clientId.trim();
    }

    /**
     * Registers a patient app: its OAuth client in identity-service, then its record here. Every field is judged
     * first; should the record not be stored, the client just created in identity-service is deleted again.
     */
    @POST
    public Uni<Response> create(@RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.Client.class))) JsonNode json) {
        Body body = Body.of(json);
        String name = body.string("name");
        String clientId = body.string("clientId", TextRules.MAX_CLIENT_ID);
        String invitationUrl = body.string("invitationUrl", TextRules.MAX_URL);
        return superuser().chain(() -> {
            Map<String, List<String>> errors = new LinkedHashMap<>();
            String[][] required = { { "name", name }, { "clientId", clientId }, { "invitationUrl", invitationUrl } };
            for (String[] field : required) {
                if (field[1] == null || field[1].isBlank()) {
                    errors.put(field[0], List.of("This field is required."));
                }
            }
            if (!errors.isEmpty()) {
                return Uni.createFrom().failure(new AdminException.ValidationException(
                        "name, clientId and invitationUrl are required.", errors));
            }
            if (!CLIENT_ID.matcher(clientId.trim()).matches()) {
                return Uni.createFrom().failure(TextRules.invalid("clientId", CLIENT_ID_RULE));
            }
            String url = UrlRules.check("invitationUrl", invitationUrl.trim(), config.allowLocalHttpUrls());
            String redirect = config.publicUrl().replaceAll("/$", "") + "/auth/callback";
            return identity.createClient(new IdentityClient.NewClient(name.trim(), clientId.trim(), "public",
                    List.of("authorization_code", "refresh_token"), List.of(redirect), url, null))
                    .onFailure().transform(ClientResource::identityFailure)
                    .flatMap(created -> db.inTransaction(tx -> Db.update(tx, "INSERT INTO oauth_client (id, client_id, "
                            + "name, kind, invitation_url) VALUES ($1, $2, $3, 'patient', $4)", created.id(),
                            created.clientId(), created.name(), created.invitationUrl())).replaceWith(created.id())
                            .onFailure().call(e -> forgetCreatedClient(identity, created.id())));
        }).flatMap(this::find).map(c -> Response.status(201).entity(c).build());
    }

    /**
     * Deletes a client identity-service created for a request that then failed; a failure to do so is logged with
     * the client's number and does not hide the request's own failure.
     */
    static Uni<Void> forgetCreatedClient(IdentityClient identity, long id) {
        return identity.deleteClient(id).onFailure().recoverWithUni(e -> {
            if (!(e instanceof WebApplicationException w && w.getResponse().getStatus() == 404)) {
                LOG.warnf("could not delete client %d, created by a request that failed: %s", id, e.toString());
            }
            return Uni.createFrom().voidItem();
        });
    }

    /** A full replacement: it carries every field a registration does. */
    @PUT
    @Path("/{id}")
    public Uni<ClientResponse> replace(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.Client.class))) JsonNode json) {
        Body body = Body.of(json);
        body.requireFields("name", "clientId", "invitationUrl");
        return update(id, body);
    }

    @PATCH
    @Path("/{id}")
    public Uni<ClientResponse> patch(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.Client.class))) JsonNode json) {
        return update(id, Body.of(json));
    }

    /**
     * Changes the name or invitation URL in identity-service, then here; should the change not be stored here,
     * identity-service's copy is put back as it was, so that the two never disagree. A {@code clientId} is judged
     * as on registration and must be the client's own: installed apps, their tokens and their invitations name the
     * client by it, so it is never changed.
     */
    private Uni<ClientResponse> update(long id, Body body) {
        String name = body.nonBlankString("name");
        String rawUrl = body.string("invitationUrl", TextRules.MAX_URL);
        String clientId = clientId(body);
        String invitationUrl = rawUrl == null ? null
                : UrlRules.check("invitationUrl", rawUrl.trim(), config.allowLocalHttpUrls());
        return superuser().chain(() -> find(id))
                .invoke(before -> {
                    if (clientId != null && !clientId.equals(before.clientId())) {
                        throw Errors.unchangeable("clientId", "client id");
                    }
                })
                .flatMap(before -> identity.updateClient(id, new IdentityClient.ClientChange(name, invitationUrl))
                        .onFailure().transform(ClientResource::identityFailure)
                        .chain(() -> db.inTransaction(tx -> Db.update(tx, "UPDATE oauth_client SET "
                                + "name = COALESCE($2, name), invitation_url = COALESCE($3, invitation_url), "
                                + "last_updated = now() WHERE id = $1", id, name, invitationUrl))
                                .onFailure().call(e -> identity.updateClient(id,
                                        new IdentityClient.ClientChange(before.name(), before.invitationUrl()))
                                        .onFailure().recoverWithUni(undo -> {
                                            LOG.warnf("could not restore client %d after a failed change: %s", id,
                                                    undo.toString());
                                            return Uni.createFrom().nullItem();
                                        }))))
                .chain(() -> find(id));
    }

    /**
     * Deletes the client here and in identity-service, in one transaction that commits only once identity-service
     * has deleted it (its 404 counts as done, so that a retry after a failed commit finishes the job).
     */
    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") long id) {
        return superuser().chain(() -> find(id))
                .chain(() -> db.inTransaction(tx -> Db.update(tx, "DELETE FROM oauth_client WHERE id = $1", id)
                        .call(() -> identity.deleteClient(id)
                                .onFailure(e -> e instanceof WebApplicationException w
                                        && w.getResponse().getStatus() == 404).recoverWithNull()
                                .onFailure().transform(ClientResource::identityFailure))))
                .map(n -> Response.noContent().build());
    }

    @GET
    @Path("/{id}/data_sources")
    public Uni<List<Map<String, Object>>> dataSources(@PathParam("id") long id) {
        return callers.current().chain(() -> find(id)).chain(() -> db.list("SELECT d.id, d.name, d.type "
                + "FROM client_data_source l JOIN data_source d ON d.id = l.data_source_id WHERE l.client_id = $1 "
                + "ORDER BY d.name, d.id", r -> {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("id", r.getLong(0));
                    out.put("name", r.getString(1));
                    out.put("type", r.getString(2));
                    out.put("supportedScopes", List.of());
                    return out;
                }, id));
    }

    @POST
    @Path("/{id}/data_sources")
    public Uni<Response> addDataSource(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.DataSourceLink.class))) JsonNode json) {
        Long dataSourceId = Body.of(json).id("dataSourceId");
        return superuser().chain(() -> find(id)).chain(() -> {
            if (dataSourceId == null) {
                return Uni.createFrom().failure(Errors.invalid("dataSourceId", "data_source_id is required."));
            }
            return db.one("SELECT EXISTS (SELECT 1 FROM data_source WHERE id = $1)", r -> r.getBoolean(0), dataSourceId);
        }).invoke(exists -> {
            if (!exists) {
                throw Errors.invalid("dataSourceId", "Data source " + dataSourceId + " does not exist.");
            }
        }).chain(() -> db.inTransaction(tx -> Db.one(tx, "INSERT INTO client_data_source (client_id, data_source_id) "
                + "VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id", r -> r.getLong(0), id, dataSourceId)))
                .map(newId -> {
                    if (newId == null) {
                        throw Errors.conflict("Data source " + dataSourceId + " is already linked to client " + id + ".");
                    }
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("id", newId);
                    out.put("client_id", id);
                    out.put("data_source_id", dataSourceId);
                    return Response.status(201).entity(out).build();
                });
    }

    @DELETE
    @Path("/{id}/data_sources")
    public Uni<Response> removeDataSource(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.DataSourceLink.class))) JsonNode json) {
        Long dataSourceId = Body.of(json).id("dataSourceId");
        return superuser().chain(() -> {
            if (dataSourceId == null) {
                return Uni.createFrom().failure(Errors.invalid("dataSourceId", "data_source_id is required."));
            }
            return db.inTransaction(tx -> Db.update(tx, "DELETE FROM client_data_source WHERE client_id = $1 "
                    + "AND data_source_id = $2", id, dataSourceId));
        }).map(n -> Response.noContent().build());
    }
}
