package org.jupyterhealth.exchange.admin.practitioner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jupyterhealth.exchange.admin.account.AccountDirectory;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.event.Events;
import org.jupyterhealth.exchange.admin.organization.OrganizationResponse;
import org.jupyterhealth.exchange.admin.security.Callers;
import org.jupyterhealth.exchange.admin.web.Body;
import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;
import org.jupyterhealth.exchange.admin.web.Paging;
import org.jupyterhealth.exchange.admin.web.TextRules;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jupyterhealth.exchange.admin.openapi.RequestBodies;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/** {@code /api/v1/practitioners} (docs/compatibility.md#practitioners): superusers only. */
@Path("/api/v1/practitioners")
@Authenticated
@Tag(name = "practitioners")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class PractitionerResource {
    private final Db db;
    private final Callers callers;
    private final Paging paging;
    private final AccountDirectory accounts;
    private final Events events;

    public PractitionerResource(Db db, Callers callers, AccountDirectory accounts, Events events, Paging paging) {
        this.db = db;
        this.callers = callers;
        this.paging = paging;
        this.accounts = accounts;
        this.events = events;
    }

    public record PractitionerResponse(long id, long jheUserId, String nameFamily, String nameGiven,
            String telecomEmail, List<OrganizationResponse> organizations) {
    }

    private Uni<Void> superuser() {
        return callers.current().invoke(caller -> {
            if (!caller.superuser()) {
                throw Errors.forbidden();
            }
        }).replaceWithVoid();
    }

    private Uni<List<PractitionerResponse>> load(List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Uni<List<io.vertx.mutiny.sqlclient.Row>> rows = db.list("SELECT p.*, a.email FROM practitioner p "
                + "LEFT JOIN account a ON a.id = p.jhe_user_id WHERE p.id = ANY($1) ORDER BY p.id", r -> r,
                (Object) Db.ids(ids));
        Uni<List<io.vertx.mutiny.sqlclient.Row>> orgs = db.list("SELECT m.practitioner_id, m.role, o.id, o.name, "
                + "o.type, o.part_of FROM practitioner_organization m JOIN organization o ON o.id = m.organization_id "
                + "WHERE m.practitioner_id = ANY($1) ORDER BY m.id", r -> r, (Object) Db.ids(ids));
        return Uni.combine().all().unis(rows, orgs).asTuple().map(t -> {
            Map<Long, List<OrganizationResponse>> byPractitioner = new HashMap<>();
            t.getItem2().forEach(r -> byPractitioner.computeIfAbsent(r.getLong("practitioner_id"),
                    k -> new ArrayList<>()).add(new OrganizationResponse(r.getLong("id"), r.getString("name"),
                            r.getString("type"), r.getLong("part_of"), r.getString("role"), List.of())));
            List<PractitionerResponse> out = new ArrayList<>();
            for (var r : t.getItem1()) {
                long id = r.getLong("id");
                out.add(new PractitionerResponse(id, r.getLong("jhe_user_id"), r.getString("name_family"),
                        r.getString("name_given"), r.getString("email"), byPractitioner.getOrDefault(id, List.of())));
            }
            return out;
        });
    }

    private Uni<PractitionerResponse> find(long id) {
        return load(List.of(id)).map(list -> {
            if (list.isEmpty()) {
                throw Errors.notFound("Practitioner");
            }
            return list.get(0);
        });
    }

    @GET
    public Uni<Page<PractitionerResponse>> list(@Context UriInfo uri) {
        PageRequest page = paging.of(uri, PageRequest.MAX_SIZE);
        return superuser().chain(() -> db.count("SELECT count(*) FROM practitioner")).flatMap(count -> {
            PageRequest resolved = page.resolve(count);
            return db.list("SELECT id FROM practitioner ORDER BY id OFFSET $1 LIMIT $2", r -> r.getLong(0),
                    resolved.offset(), resolved.limit()).flatMap(this::load).map(rows -> resolved.page(count, rows));
        });
    }

    @GET
    @Path("/{id}")
    public Uni<PractitionerResponse> get(@PathParam("id") long id) {
        return superuser().chain(() -> find(id));
    }

    @POST
    public Uni<Response> create(@RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.Practitioner.class))) JsonNode json) {
        Body body = Body.of(json);
        String email = body.string("telecomEmail", TextRules.MAX_EMAIL);
        Long organizationId = body.id("organizationId");
        String family = body.string("nameFamily", TextRules.MAX_PERSON_NAME);
        String given = body.string("nameGiven", TextRules.MAX_PERSON_NAME);
        return superuser().chain(() -> {
            if (email == null || email.isBlank()) {
                return Uni.createFrom().failure(Errors.invalid("telecomEmail",
                        "Email is required to create a practitioner."));
            }
            if (!TextRules.isEmail(email.trim())) {
                return Uni.createFrom().failure(Errors.invalid("telecomEmail", "Enter a valid email address."));
            }
            Uni<Boolean> orgOk = organizationId == null ? Uni.createFrom().item(true)
                    : db.one("SELECT EXISTS (SELECT 1 FROM organization WHERE id = $1)", r -> r.getBoolean(0),
                            organizationId);
            // everything is judged before the account is created; a failure after it undoes a new account
            return orgOk.invoke(ok -> {
                if (!ok) {
                    throw Errors.invalid("organizationId", "Organization not found.");
                }
            }).chain(() -> accounts.withAccount(email.trim(), given, family, "practitioner",
                    account -> db.inTransaction(tx -> Db.one(tx, "INSERT INTO practitioner (jhe_user_id, "
                            + "name_family, name_given) VALUES ($1, $2, $3) ON CONFLICT (jhe_user_id) DO UPDATE "
                            + "SET name_family = COALESCE(EXCLUDED.name_family, practitioner.name_family), "
                            + "name_given = COALESCE(EXCLUDED.name_given, practitioner.name_given) RETURNING id",
                            r -> r.getLong(0), account.id(), family, given)
                            .call(id -> join(tx, id, organizationId, account.id())))));
        }).flatMap(this::find).map(p -> Response.status(201).entity(p).build());
    }

    /** Makes the practitioner a member of the organization (if it is not already one of its practitioners). */
    private Uni<Void> join(SqlClient tx, long practitionerId, Long organizationId, long userId) {
        if (organizationId == null) {
            return Uni.createFrom().voidItem();
        }
        return Db.update(tx, "INSERT INTO practitioner_organization (practitioner_id, organization_id, role) "
                + "VALUES ($1, $2, 'member') ON CONFLICT DO NOTHING", practitionerId, organizationId)
                .chain(n -> n == 0 ? Uni.createFrom().voidItem()
                        : events.practitionerMembershipChanged(tx, organizationId, userId));
    }

    /** A full replacement: it carries the practitioner's e-mail, as a create does. */
    @PUT
    @Path("/{id}")
    public Uni<PractitionerResponse> replace(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.Practitioner.class))) JsonNode json) {
        Body body = Body.of(json);
        body.requireFields("telecomEmail");
        return update(id, body);
    }

    @PATCH
    @Path("/{id}")
    public Uni<PractitionerResponse> patch(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.Practitioner.class))) JsonNode json) {
        return update(id, Body.of(json));
    }

    /**
     * Changes the names and, with {@code organizationId}, adds a membership as {@code POST} does: an
     * {@code organizationId} that is not an id is a 400 and one of no organization a 404, and nothing is changed.
     * A {@code telecomEmail} must be the practitioner's own (its account's sign-in name, which is not changed here).
     */
    private Uni<PractitionerResponse> update(long id, Body body) {
        String email = body.email("telecomEmail");
        String family = body.string("nameFamily", TextRules.MAX_PERSON_NAME);
        String given = body.string("nameGiven", TextRules.MAX_PERSON_NAME);
        Long organizationId = body.id("organizationId");
        return superuser().chain(() -> find(id))
                .call(p -> email == null ? Uni.createFrom().voidItem()
                        : accounts.requireOwnEmail(p.jheUserId(), email, "telecomEmail"))
                .call(p -> organizationId == null ? Uni.createFrom().voidItem()
                        : db.one("SELECT EXISTS (SELECT 1 FROM organization WHERE id = $1)", r -> r.getBoolean(0),
                                organizationId).invoke(exists -> {
                                    if (!exists) {
                                        throw Errors.notFound("Organization");
                                    }
                                }))
                .call(p -> db.inTransaction(tx -> Db.update(tx, "UPDATE practitioner SET "
                        + "name_family = COALESCE($2, name_family), name_given = COALESCE($3, name_given), "
                        + "last_updated = now() WHERE id = $1", id, family, given)
                        .chain(() -> join(tx, id, organizationId, p.jheUserId()))))
                .chain(() -> find(id));
    }

    /**
     * Deletes the practitioner, and its account unless it is an administrator's or a patient's, in one
     * transaction that commits only once identity-service has deleted the account.
     */
    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") long id) {
        return superuser().chain(() -> find(id)).flatMap(p -> db.inTransaction(tx -> Db.update(tx,
                "DELETE FROM practitioner WHERE id = $1", id)
                .chain(() -> Db.one(tx, "SELECT (SELECT is_superuser FROM account WHERE id = $1) IS TRUE "
                        + "OR EXISTS (SELECT 1 FROM patient WHERE jhe_user_id = $1)", r -> r.getBoolean(0),
                        p.jheUserId()))
                .flatMap(keep -> keep ? Uni.createFrom().voidItem() : accounts.delete(tx, p.jheUserId()))))
                .map(v -> Response.noContent().build());
    }

}
