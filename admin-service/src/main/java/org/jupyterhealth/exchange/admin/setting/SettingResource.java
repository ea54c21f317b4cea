package org.jupyterhealth.exchange.admin.setting;

import java.util.LinkedHashMap;
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
import org.jupyterhealth.exchange.admin.security.Callers;
import org.jupyterhealth.exchange.admin.web.Body;
import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.admin.web.JsonParsing;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;
import org.jupyterhealth.exchange.admin.web.Paging;
import org.jupyterhealth.exchange.admin.web.TextRules;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jupyterhealth.exchange.admin.openapi.RequestBodies;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;

/** {@code /api/v1/jhe_settings} (docs/compatibility.md#settings): superusers only; typed values. */
@Path("/api/v1/jhe_settings")
@Authenticated
@Tag(name = "settings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SettingResource {
    /** The longest JSON setting, written out. */
    static final int MAX_JSON = 100_000;
    private static final ObjectReader JSON = JsonParsing.apply(new ObjectMapper()).reader();

    private final Db db;
    private final Callers callers;
    private final Paging paging;

    public SettingResource(Db db, Callers callers, Paging paging) {
        this.db = db;
        this.callers = callers;
        this.paging = paging;
    }

    private Uni<Void> superuser() {
        return callers.current().invoke(caller -> {
            if (!caller.superuser()) {
                throw Errors.forbidden();
            }
        }).replaceWithVoid();
    }

    static Map<String, Object> map(Row row) {
        String type = row.getString("value_type");
        Object value = switch (type) {
            case "int" -> row.getLong("value_int");
            case "bool" -> row.getBoolean("value_bool");
            case "float" -> row.getDouble("value_float");
            case "json" -> {
                Object json = row.getJson("value_json");
                yield json instanceof JsonObject o ? o.getMap() : json instanceof JsonArray a ? a.getList() : json;
            }
            default -> row.getString("value_string");
        };
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", row.getLong("id"));
        out.put("key", row.getString("key"));
        out.put("valueType", type);
        out.put("resolvedValue", value);
        out.put("lastUpdated", row.getOffsetDateTime("last_updated"));
        return out;
    }

    @GET
    public Uni<Page<Map<String, Object>>> list(@Context UriInfo uri) {
        PageRequest page = paging.of(uri, PageRequest.MAX_SIZE);
        return superuser().chain(() -> db.count("SELECT count(*) FROM jhe_setting")).flatMap(count -> {
            PageRequest resolved = page.resolve(count);
            return db.list("SELECT * FROM jhe_setting ORDER BY id OFFSET $1 LIMIT $2", SettingResource::map,
                    resolved.offset(), resolved.limit()).map(rows -> resolved.page(count, rows));
        });
    }

    private Uni<Map<String, Object>> find(long id) {
        return db.one("SELECT * FROM jhe_setting WHERE id = $1", SettingResource::map, id)
                .invoke(s -> {
                    if (s == null) {
                        throw Errors.notFound("JheSetting");
                    }
                });
    }

    @GET
    @Path("/{id}")
    public Uni<Map<String, Object>> get(@PathParam("id") long id) {
        return superuser().chain(() -> find(id));
    }

    /**
     * The typed columns for a value: [string, int, bool, float, json]. A string setting takes a JSON string only
     * (a number or an object is not silently turned into its text); numbers and booleans may also be written as
     * strings ({@code "42"}, {@code "yes"}), as the original's settings accept them.
     */
    private static Object[] columns(String type, JsonNode value) {
        Object[] out = new Object[5];
        if ("string".equals(type)) {
            if (!value.isTextual()) {
                throw TextRules.invalid("value", "Not a valid string.");
            }
            out[0] = TextRules.check("value", value.textValue(), true, TextRules.MAX_TEXT);
            return out;
        }
        if ("json".equals(type) && (value.isTextual() ? value.textValue().length() : value.toString().length())
                > MAX_JSON) {
            throw TextRules.invalid("value", "Ensure this value has no more than " + MAX_JSON + " characters.");
        }
        try {
            switch (type) {
                case "int" -> {
                    boolean integral = value.isIntegralNumber() && value.canConvertToLong();
                    if (!integral && !value.isTextual()) {
                        throw new NumberFormatException();
                    }
                    out[1] = integral ? value.longValue() : Long.parseLong(value.textValue().trim());
                }
                case "bool" -> {
                    if (!value.isValueNode()) {
                        throw new NumberFormatException();
                    }
                    out[2] = switch (value.asText().trim().toLowerCase()) {
                        case "true", "1", "yes", "y", "t", "on" -> true;
                        case "false", "0", "no", "n", "f", "off" -> false;
                        default -> throw new NumberFormatException();
                    };
                }
                case "float" -> {
                    if (!value.isNumber() && !value.isTextual()) {
                        throw new NumberFormatException();
                    }
                    double number = value.isTextual() ? Double.parseDouble(value.textValue().trim())
                            : value.doubleValue();
                    if (!Double.isFinite(number)) {
                        throw new NumberFormatException();
                    }
                    out[3] = number;
                }
                case "json" -> {
                    // a JSON value may also arrive written out as a string: its strings obey the same rules
                    JsonNode json = value.isTextual() ? JSON.readTree(value.textValue()) : value;
                    Body.checkValue("value", json);
                    out[4] = io.vertx.core.json.Json.decodeValue(json.toString());
                }
                default -> throw Errors.invalid("valueType", "\"" + type + "\" is not a valid choice.");
            }
        } catch (JsonProcessingException e) {
            throw Errors.invalid("value", "Not a valid json value.");
        } catch (RuntimeException e) {
            if (e instanceof org.jupyterhealth.exchange.admin.web.AdminException a) {
                throw a;
            }
            throw Errors.invalid("value", "Not a valid " + type + " value.");
        }
        return out;
    }

    @POST
    public Uni<Response> create(@RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.Setting.class))) JsonNode json) {
        Body body = Body.of(json);
        return superuser().chain(() -> {
            String key = body.requiredString("key");
            String type = body.string("valueType") == null ? "string" : body.string("valueType");
            JsonNode value = body.node("value");
            if (value == null) {
                return Uni.createFrom().failure(Errors.invalid("value", "This field is required."));
            }
            Object[] v = columns(type, value);
            return db.inTransaction(tx -> Db.one(tx, "INSERT INTO jhe_setting (key, value_type, value_string, "
                    + "value_int, value_bool, value_float, value_json) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                    + "ON CONFLICT (key) DO NOTHING RETURNING id", r -> r.getLong(0), key, type, v[0], v[1], v[2],
                    v[3], v[4])).invoke(id -> {
                        if (id == null) {
                            throw Errors.conflict("A setting with key " + key + " already exists.");
                        }
                    });
        }).flatMap(this::find).map(s -> Response.status(201).entity(s).build());
    }

    /** A full replacement: it carries the key, as a create does. */
    @PUT
    @Path("/{id}")
    public Uni<Map<String, Object>> replace(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.Setting.class))) JsonNode json) {
        Body body = Body.of(json);
        body.requireFields("key");
        return update(id, body);
    }

    @PATCH
    @Path("/{id}")
    public Uni<Map<String, Object>> patch(@PathParam("id") long id, @RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.Setting.class))) JsonNode json) {
        return update(id, Body.of(json));
    }

    /** Changes the value (and the key or type when given; a key, when given, is judged as on create). */
    private Uni<Map<String, Object>> update(long id, Body body) {
        String newKey = body.nonBlankString("key");
        return superuser().chain(() -> find(id)).flatMap(current -> {
            String type = body.string("valueType") == null ? (String) current.get("valueType") : body.string("valueType");
            String key = newKey == null ? (String) current.get("key") : newKey;
            JsonNode value = body.node("value");
            if (value == null) {
                return Uni.createFrom().failure(Errors.invalid("value", "This field is required."));
            }
            Object[] v = columns(type, value);
            return db.inTransaction(tx -> Db.update(tx, "UPDATE jhe_setting SET key = $2, value_type = $3, "
                    + "value_string = $4, value_int = $5, value_bool = $6, value_float = $7, value_json = $8, "
                    + "last_updated = now() WHERE id = $1", id, key, type, v[0], v[1], v[2], v[3], v[4]));
        }).chain(() -> find(id));
    }

    @DELETE
    @Path("/{id}")
    public Uni<Response> delete(@PathParam("id") long id) {
        return superuser().chain(() -> find(id))
                .chain(() -> db.inTransaction(tx -> Db.update(tx, "DELETE FROM jhe_setting WHERE id = $1", id)))
                .map(n -> Response.noContent().build());
    }
}
