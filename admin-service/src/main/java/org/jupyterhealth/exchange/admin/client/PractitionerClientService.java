package org.jupyterhealth.exchange.admin.client;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;

import org.jupyterhealth.exchange.admin.account.IdentityClient;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.security.Caller;
import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;

import io.smallrye.mutiny.Uni;

/**
 * Practitioners' own client-credentials clients for automation (docs/compatibility.md#practitioner-clients); their
 * tokens act as the practitioner. Self-scoped: another practitioner's client is 404.
 */
@ApplicationScoped
public class PractitionerClientService {
    static final String ONLY_PRACTITIONERS = "Only practitioner users can manage practitioner clients.";

    private final Db db;
    private final PractitionerClientRepository clients;
    private final IdentityClient identity;

    public PractitionerClientService(Db db, PractitionerClientRepository clients, IdentityClient identity) {
        this.db = db;
        this.clients = clients;
        this.identity = identity;
    }

    private static Uni<Void> practitioner(Caller caller) {
        if (!caller.isPractitioner()) {
            return Uni.createFrom().failure(Errors.forbidden(ONLY_PRACTITIONERS));
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<PractitionerClientResponse> own(Caller caller, long id) {
        return clients.findOwn(id, caller.practitionerId()).invoke(c -> {
            if (c == null) {
                throw Errors.notFound("PractitionerClient");
            }
        });
    }

    public Uni<Page<PractitionerClientResponse>> list(Caller caller, PageRequest page) {
        return practitioner(caller).chain(() -> clients.countOwn(caller.practitionerId())).flatMap(count -> {
            PageRequest resolved = page.resolve(count);
            return clients.listOwn(caller.practitionerId(), resolved.offset(), resolved.limit())
                    .map(rows -> resolved.page(count, rows));
        });
    }

    public Uni<PractitionerClientResponse> client(Caller caller, long id) {
        return practitioner(caller).chain(() -> own(caller, id));
    }

    /**
     * Registers a client-credentials client in identity-service acting as the caller, then its record here; should
     * the record not be stored, the client just created in identity-service goes too.
     */
    public Uni<PractitionerClientResponse> create(Caller caller, PractitionerClientRequest request) {
        String label = request.label();
        return practitioner(caller).chain(() -> {
            String name = "_practitioner_client_" + caller.practitionerId() + "_"
                    + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
            return identity.createClient(new IdentityClient.NewClient(name, null, "confidential",
                    List.of("client_credentials"), List.of(), null, caller.userId()))
                    .onFailure().transform(ClientService::identityFailure)
                    .flatMap(created -> {
                        String key = Base64.getEncoder().encodeToString((created.clientId() + ":"
                                + created.clientSecret()).getBytes(StandardCharsets.UTF_8));
                        return db.inTransaction(tx -> clients.insert(tx, created.id(), created.clientId(),
                                caller.practitionerId(), label == null ? "" : label, name, key))
                                .onFailure().call(e -> ClientService.forgetCreatedClient(identity, created.id()));
                    })
                    .flatMap(id -> own(caller, id));
        });
    }

    /** Only the label may change. */
    public Uni<PractitionerClientResponse> patch(Caller caller, long id, PractitionerClientRequest request) {
        String label = request.label();
        return practitioner(caller).chain(() -> own(caller, id))
                .chain(() -> db.inTransaction(tx -> clients.updateLabel(tx, id, label)))
                .chain(() -> own(caller, id));
    }

    /**
     * Deletes the client here and in identity-service, in one transaction that commits only once identity-service
     * has deleted it (its 404 counts as done).
     */
    public Uni<Void> delete(Caller caller, long id) {
        return practitioner(caller).chain(() -> own(caller, id))
                .chain(() -> clients.findClientPk(id))
                .flatMap(clientPk -> db.inTransaction(tx -> clients.deleteClient(tx, clientPk)
                        .call(() -> identity.deleteClient(clientPk)
                                .onFailure(e -> e instanceof WebApplicationException w
                                        && w.getResponse().getStatus() == 404).recoverWithNull()
                                .onFailure().transform(ClientService::identityFailure))))
                .replaceWithVoid();
    }
}
