package org.jupyterhealth.exchange.admin.datasource;

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
 * {@code /api/v1/data_sources} (docs/compatibility.md#data-sources): read by every signed-in user; created, changed and
 * deleted, and their supported data types changed, by superusers only
 * (docs/compatibility.md#missing-permission-checks).
 */
@Path("/api/v1/data_sources")
@Authenticated
@Tag(name = "data sources")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class DataSourceResource {
    static final List<String> TYPES = List.of("medical_device", "personal_device", "patient_app");

    private final Db db;
    private final Callers callers;
    private final Paging paging;

    public DataSourceResource(Db db, Callers callers, Paging paging) {
        this.db = db;
        this.callers = callers;
        this.paging = paging;
    }

    public record DataSourceResponse(long id, String name, String type, List<CodeResponse> supportedScopes) {
    }

    private Uni<Caller> superuser() {
        return callers.current().invoke(caller -> {
            if (!caller.superuser()) {
                throw Errors.forbidden();
            }
        });
    }

    private Uni<Map<Long, List<CodeResponse>>> scopesOf(List<Long> ids) {
        return db.list("SELECT ss.data_source_id, " + CodeResponse.COLUMNS + " FROM data_source_supported_scope ss "
                + "JOIN codeable_concept c ON c.id = ss.scope_code_id WHERE ss.data_source_id = ANY($1) "
                + "ORDER BY c.text, c.id", row -> row, (Object) Db.ids(ids)).map(rows -> {
                    Map<Long, List<CodeResponse>> out = new HashMap<>();
                    rows.forEach(r -> out.computeIfAbsent(r.getLong("data_source_id"), k -> new ArrayList<>())
                            .add(CodeResponse.from(r)));
                    return out;
                });
    }

    @GET
    public Uni<Page<DataSourceResponse>> list(@Context UriInfo uri) {
        PageRequest page = paging.of(uri);
        return callers.current().chain(() -> db.count("SELECT count(*) FROM data_source")).flatMap(count -> {
            PageRequest resolved = page.resolve(count);
            return db.list("SELECT id, name, type FROM data_source ORDER BY name, id OFFSET $1 LIMIT $2",
                    row -> new DataSourceResponse(row.getLong(0), row.getString(1), row.getString(2), List.of()),
                    resolved.offset(), resolved.limit())
                    .flatMap(rows -> scopesOf(rows.stream().map(DataSourceResponse::id).toList())
                            .map(scopes -> resolved.page(count, rows.stream().map(d -> new DataSourceResponse(d.id(),
                                    d.name(), d.type(), scopes.getOrDefault(d.id(), List.of()))).toList())));
        });
    }

    @GET
    @Path("/all_scopes")
    public Uni<List<CodeResponse>> allScopes() {
        return callers.current().chain(() -> db.list("SELECT " + CodeResponse.COLUMNS
                + " FROM codeable_concept c ORDER BY c.text, c.id", CodeResponse::from));
    }

    private Uni<DataSourceResponse> find(long id) {
        return db.one("SELECT id, name, type FROM data_source WHERE id = $1",
                row -> new DataSourceResponse(row.getLong(0), row.getString(1), row.getString(2), List.of()), id)
                .flatMap(d -> d == null ? Uni.createFrom().failure(Errors.notFound("DataSource"))
                        : scopesOf(List.of(id)).map(s -> new DataSourceResponse(d.id(), d.name(), d.type(),
                                s.getOrDefault(id, List.of()))));
    }

    @GET
    @Path("/{id}")
    public Uni<DataSourceResponse> get(@PathParam("id") long id) {
        return callers.current().chain(() -> find(id));
    }

    private static String type(Body body, boolean required) {
        String type = body.string("type");
        if (type == null) {
            return required ? "personal_device" : null;
        }
        if (!TYPES.contains(type)) {
            throw Errors.invalid("type", "\"" + type + "\" is not a valid choice.");
        }
        return type;
    }

    @POST
    public Uni<Response> create(@RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.DataSource.class))) JsonNode json) {
        Body body = Body.of(json);
        return superuser().chain(() -> {
            String name = body.requiredString("name");
            String type = type(body, true);
            return db.inTransaction(tx -> Db.one(tx, "INSERT INTO data_source (name, type) VALUES ($1, $2) "
                    + "RETURNING id", row -> row.getLong(0), name, type));
        }).flatMap(this::find).map(d -> Response.status(201).entity(d).build());
    }

    /** A full replacement: it carries the name, as a create does (a type not given stays as it is). */
    @PUT
    @Path("/{id}")
    public Uni<DataSourceResponse> replace(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.DataSource.class))) JsonNode json) {
        Body body = Body.of(json);
        body.requireFields("name");
        return update(id, body);
    }

    @PATCH
    @Path("/{id}")
    public Uni<DataSourceResponse> patch(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.DataSource.class))) JsonNode json) {
        return update(id, Body.of(json));
    }

    /** Changes what the body names; a name, when given, is judged as on create (not blank). */
    private Uni<DataSourceResponse> update(long id, Body body) {
        String name = body.nonBlankString("name");
        String type = type(body, false);
        return superuser().chain(() -> find(id)).chain(() -> db.inTransaction(tx -> Db.update(tx,
                "UPDATE data_source SET name = COALESCE($2, name), type = COALESCE($3, type), last_updated = now() "
                        + "WHERE id = $1", id, name, type)))
                .chain(() -> find(id));
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") long id) {
        return superuser().chain(() -> find(id))
                .chain(() -> db.inTransaction(tx -> Db.update(tx, "DELETE FROM data_source WHERE id = $1", id)))
                .map(n -> Response.noContent().build());
    }

    @GET
    @Path("/{id}/supported_scopes")
    public Uni<List<Map<String, Object>>> supportedScopes(@PathParam("id") long id) {
        return callers.current().chain(() -> find(id)).flatMap(d -> db.list("SELECT ss.id AS link_id, "
                + CodeResponse.COLUMNS + " FROM data_source_supported_scope ss JOIN codeable_concept c "
                + "ON c.id = ss.scope_code_id WHERE ss.data_source_id = $1 ORDER BY ss.id", row -> {
                    Map<String, Object> link = new LinkedHashMap<>();
                    link.put("id", row.getLong("link_id"));
                    link.put("dataSource", Map.of("id", d.id(), "name", d.name() == null ? "" : d.name(),
                            "type", d.type()));
                    link.put("scopeCode", CodeResponse.from(row));
                    return link;
                }, id));
    }

    @POST
    @Path("/{id}/supported_scopes")
    public Uni<Response> addScope(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.ScopeCode.class))) JsonNode json) {
        Long codeId = Body.of(json).id("scopeCodeId");
        return superuser().chain(() -> find(id)).chain(() -> {
            if (codeId == null) {
                return Uni.createFrom().failure(Errors.invalid("scopeCodeId", "scope_code_id is required."));
            }
            return db.one("SELECT EXISTS (SELECT 1 FROM codeable_concept WHERE id = $1)", r -> r.getBoolean(0), codeId);
        }).invoke(exists -> {
            if (!exists) {
                throw Errors.invalid("scopeCodeId", "Code " + codeId + " does not exist.");
            }
        }).chain(() -> db.inTransaction(tx -> Db.one(tx, "INSERT INTO data_source_supported_scope (data_source_id, "
                + "scope_code_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id", r -> r.getLong(0), id, codeId)))
                .map(newId -> {
                    if (newId == null) {
                        throw Errors.conflict("Data source " + id + " already supports code " + codeId + ".");
                    }
                    return Response.status(201).entity(Map.of("id", newId, "dataSourceId", id, "scopeCodeId", codeId))
                            .build();
                });
    }

    @DELETE
    @Path("/{id}/supported_scopes")
    public Uni<Response> removeScope(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.ScopeCode.class))) JsonNode json) {
        Long codeId = Body.of(json).id("scopeCodeId");
        return superuser().chain(() -> {
            if (codeId == null) {
                return Uni.createFrom().failure(Errors.invalid("scopeCodeId", "scope_code_id is required."));
            }
            return db.inTransaction(tx -> Db.update(tx, "DELETE FROM data_source_supported_scope "
                    + "WHERE data_source_id = $1 AND scope_code_id = $2", id, codeId));
        }).map(n -> Response.noContent().build());
    }
}
