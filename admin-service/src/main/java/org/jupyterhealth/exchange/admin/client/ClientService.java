package org.jupyterhealth.exchange.admin.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.admin.account.IdentityClient;
import org.jupyterhealth.exchange.admin.client.ClientResponses.ClientDataSource;
import org.jupyterhealth.exchange.admin.client.ClientResponses.ClientResponse;
import org.jupyterhealth.exchange.admin.client.ClientResponses.NewDataSourceLink;
import org.jupyterhealth.exchange.admin.config.AdminConfig;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.security.Caller;
import org.jupyterhealth.exchange.admin.study.DataSourceLinkRequest;
import org.jupyterhealth.exchange.admin.web.AdminException;
import org.jupyterhealth.exchange.admin.web.AdminException.UnavailableException;
import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;
import org.jupyterhealth.exchange.admin.web.TextRules;
import org.jupyterhealth.exchange.admin.web.UrlRules;

import io.smallrye.mutiny.Uni;

/**
 * Patient apps (docs/compatibility.md#patient-apps): public authorization-code OAuth clients registered in
 * identity-service with an invitation URL. Written by superusers; their data sources by superusers too
 * (docs/compatibility.md#missing-permission-checks).
 */
@ApplicationScoped
public class ClientService {
    private static final Logger LOG = Logger.getLogger(ClientService.class);
    /** identity-service's rule for a client id, applied here so that it refuses nothing after a first write. */
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._~-]{1,100}");
    private static final String CLIENT_ID_RULE = "Use 1 to 100 letters, digits, '.', '_', '~' or '-'.";
    private static final String REQUIRED = "This field is required.";

    private final Db db;
    private final ClientRepository clients;
    private final IdentityClient identity;
    private final AdminConfig config;

    public ClientService(Db db, ClientRepository clients, IdentityClient identity, AdminConfig config) {
        this.db = db;
        this.clients = clients;
        this.identity = identity;
        this.config = config;
    }

    private static Uni<Void> superuser(Caller caller) {
        if (!caller.superuser()) {
            return Uni.createFrom().failure(Errors.forbidden());
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<ClientResponse> find(long id) {
        return clients.findById(id).invoke(c -> {
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

    public Uni<Page<ClientResponse>> list(PageRequest page) {
        return clients.count().flatMap(count -> {
            PageRequest resolved = page.resolve(count);
            return clients.list(resolved.offset(), resolved.limit()).map(rows -> resolved.page(count, rows));
        });
    }

    public Uni<ClientResponse> client(long id) {
        return find(id);
    }

    /**
     * Registers a patient app: its OAuth client in identity-service, then its record here. Every field is judged
     * first; should the record not be stored, the client just created in identity-service is deleted again.
     */
    public Uni<ClientResponse> create(Caller caller, ClientRequest request) {
        String name = request.name();
        String clientId = request.clientId();
        String invitationUrl = request.invitationUrl();
        return superuser(caller).chain(() -> {
            Map<String, List<String>> errors = new LinkedHashMap<>();
            String[][] required = { { "name", name }, { "clientId", clientId }, { "invitationUrl", invitationUrl } };
            for (String[] field : required) {
                if (field[1] == null || field[1].isBlank()) {
                    errors.put(field[0], List.of(REQUIRED));
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
                    .onFailure().transform(ClientService::identityFailure)
                    .flatMap(created -> db.inTransaction(tx -> clients.insert(tx, created.id(), created.clientId(),
                            created.name(), created.invitationUrl())).replaceWith(created.id())
                            .onFailure().call(e -> forgetCreatedClient(identity, created.id())));
        }).flatMap(this::find);
    }

    /**
     * A full replacement carries every field a registration does, judged before the caller's right, naming every
     * field missing.
     */
    public Uni<ClientResponse> replace(Caller caller, long id, ClientRequest request) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", request.name());
        fields.put("clientId", request.clientId());
        fields.put("invitationUrl", request.invitationUrl());
        fields.forEach((field, value) -> {
            if (value == null || value.isBlank()) {
                errors.put(field, List.of(REQUIRED));
            }
        });
        if (!errors.isEmpty()) {
            throw new AdminException.ValidationException(String.join(", ", errors.keySet()) + ": " + REQUIRED,
                    errors);
        }
        return update(caller, id, request);
    }

    /**
     * Changes the name or invitation URL in identity-service, then here; should the change not be stored here,
     * identity-service's copy is put back as it was, so that the two never disagree. A {@code clientId} is judged
     * as on registration and must be the client's own: installed apps, their tokens and their invitations name the
     * client by it, so it is never changed.
     */
    public Uni<ClientResponse> update(Caller caller, long id, ClientRequest request) {
        String name = request.name();
        if (name != null && name.isBlank()) {
            throw TextRules.invalid("name", "This field may not be blank.");
        }
        String trimmedName = name == null ? null : name.trim();
        String rawUrl = request.invitationUrl();
        String clientId = request.clientId();
        if (clientId != null && !CLIENT_ID.matcher(clientId.trim()).matches()) {
            throw TextRules.invalid("clientId", CLIENT_ID_RULE);
        }
        String ownId = clientId == null ? null : clientId.trim();
        String invitationUrl = rawUrl == null ? null
                : UrlRules.check("invitationUrl", rawUrl.trim(), config.allowLocalHttpUrls());
        return superuser(caller).chain(() -> find(id))
                .invoke(before -> {
                    if (ownId != null && !ownId.equals(before.clientId())) {
                        throw Errors.unchangeable("clientId", "client id");
                    }
                })
                .flatMap(before -> identity.updateClient(id, new IdentityClient.ClientChange(trimmedName,
                        invitationUrl))
                        .onFailure().transform(ClientService::identityFailure)
                        .chain(() -> db.inTransaction(tx -> clients.update(tx, id, trimmedName, invitationUrl))
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
    public Uni<Void> delete(Caller caller, long id) {
        return superuser(caller).chain(() -> find(id))
                .chain(() -> db.inTransaction(tx -> clients.delete(tx, id)
                        .call(() -> identity.deleteClient(id)
                                .onFailure(e -> e instanceof WebApplicationException w
                                        && w.getResponse().getStatus() == 404).recoverWithNull()
                                .onFailure().transform(ClientService::identityFailure))))
                .replaceWithVoid();
    }

    public Uni<List<ClientDataSource>> dataSources(long id) {
        return find(id).chain(() -> clients.listDataSources(id));
    }

    public Uni<NewDataSourceLink> addDataSource(Caller caller, long id, DataSourceLinkRequest request) {
        Long dataSourceId = request.dataSourceId();
        return superuser(caller).chain(() -> find(id)).chain(() -> {
            if (dataSourceId == null) {
                return Uni.createFrom().failure(Errors.invalid("dataSourceId", "data_source_id is required."));
            }
            return clients.dataSourceExists(dataSourceId);
        }).invoke(exists -> {
            if (!exists) {
                throw Errors.invalid("dataSourceId", "Data source " + dataSourceId + " does not exist.");
            }
        }).chain(() -> db.inTransaction(tx -> clients.insertDataSource(tx, id, dataSourceId)))
                .map(newId -> {
                    if (newId == null) {
                        throw Errors.conflict("Data source " + dataSourceId + " is already linked to client " + id
                                + ".");
                    }
                    return new NewDataSourceLink(newId, id, dataSourceId);
                });
    }

    public Uni<Void> removeDataSource(Caller caller, long id, DataSourceLinkRequest request) {
        Long dataSourceId = request.dataSourceId();
        return superuser(caller).chain(() -> {
            if (dataSourceId == null) {
                return Uni.createFrom().failure(Errors.invalid("dataSourceId", "data_source_id is required."));
            }
            return db.inTransaction(tx -> clients.deleteDataSource(tx, id, dataSourceId));
        }).replaceWithVoid();
    }
}
