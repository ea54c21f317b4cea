package org.jupyterhealth.exchange.admin.setting;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.db.JsonText;
import org.jupyterhealth.exchange.admin.security.Caller;
import org.jupyterhealth.exchange.admin.security.Permissions;
import org.jupyterhealth.exchange.admin.web.AdminException;
import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.admin.web.JsonParsing;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;
import org.jupyterhealth.exchange.admin.web.TextRules;
import org.jupyterhealth.exchange.admin.web.request.BodyTree;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.Json;

/** Site settings (docs/compatibility.md#settings): superusers only; each value stored in its type. */
@ApplicationScoped
public class SettingService {
    /** The longest JSON setting, written out. */
    static final int MAX_JSON = 100_000;
    private static final ObjectReader JSON = JsonParsing.apply(new ObjectMapper()).reader();

    private final Db db;
    private final SettingRepository settings;

    public SettingService(Db db, SettingRepository settings) {
        this.db = db;
        this.settings = settings;
    }

    public Uni<Page<SettingResponse>> listSettings(Caller caller, PageRequest page) {
        return Permissions.requireSuperuser(caller).chain(settings::count).flatMap(count -> {
            PageRequest resolved = page.resolve(count);
            return settings.list(resolved.offset(), resolved.limit()).map(rows -> resolved.page(count, rows));
        });
    }

    public Uni<SettingResponse> setting(Caller caller, long id) {
        return Permissions.requireSuperuser(caller).chain(() -> find(id));
    }

    private Uni<SettingResponse> find(long id) {
        return settings.findById(id).invoke(s -> {
            if (s == null) {
                throw Errors.notFound("JheSetting");
            }
        });
    }

    /** A new setting of type {@code valueType} ({@code string} when not given); its key is unique (409). */
    public Uni<SettingResponse> createSetting(Caller caller, SettingRequest request) {
        return Permissions.requireSuperuser(caller).chain(() -> {
            String key = request.key().trim();
            String type = request.valueType() == null ? "string" : request.valueType();
            SettingColumns value = valueOf(type, request.value());
            return db.inTransaction(tx -> settings.insert(tx, key, type, value)).invoke(id -> {
                if (id == null) {
                    throw Errors.conflict("A setting with key " + key + " already exists.");
                }
            });
        }).flatMap(this::find);
    }

    /** {@code PUT}: the key and the value replaced; the type too when given. */
    public Uni<SettingResponse> replaceSetting(Caller caller, long id, SettingRequest request) {
        return updateSetting(caller, id, request.key().trim(), request.valueType(), request.value());
    }

    /** {@code PATCH}: the value replaced; the key and the type too when given. */
    public Uni<SettingResponse> patchSetting(Caller caller, long id, SettingPatch patch) {
        return updateSetting(caller, id, patch.key() == null ? null : patch.key().trim(), patch.valueType(),
                patch.value());
    }

    private Uni<SettingResponse> updateSetting(Caller caller, long id, String newKey, String newType,
            JsonText json) {
        return Permissions.requireSuperuser(caller).chain(() -> find(id)).flatMap(current -> {
            String type = newType == null ? current.valueType() : newType;
            String key = newKey == null ? current.key() : newKey;
            SettingColumns value = valueOf(type, json);
            return db.inTransaction(tx -> settings.update(tx, id, key, type, value));
        }).chain(() -> find(id));
    }

    public Uni<Void> deleteSetting(Caller caller, long id) {
        return Permissions.requireSuperuser(caller).chain(() -> find(id))
                .chain(() -> db.inTransaction(tx -> settings.delete(tx, id)))
                .replaceWithVoid();
    }

    /**
     * The value in the column of its type. A string setting takes a JSON string only (a number or an object is not
     * silently turned into its text); numbers and booleans may also be written as strings ({@code "42"},
     * {@code "yes"}), as the original's settings accept them. A value is required (absent and {@code null} alike).
     */
    static SettingColumns valueOf(String type, JsonText given) {
        JsonNode value = given == null ? null : given.tree();
        if (value == null || value.isNull() || value.isMissingNode()) {
            throw Errors.invalid("value", "This field is required.");
        }
        if ("string".equals(type)) {
            if (!value.isTextual()) {
                throw TextRules.invalid("value", "Not a valid string.");
            }
            return new SettingColumns(TextRules.check("value", value.textValue(), true, TextRules.MAX_TEXT), null,
                    null, null, null);
        }
        if ("json".equals(type) && (value.isTextual() ? value.textValue().length() : value.toString().length())
                > MAX_JSON) {
            throw TextRules.invalid("value", "Ensure this value has no more than " + MAX_JSON + " characters.");
        }
        try {
            return switch (type) {
                case "int" -> {
                    boolean integral = value.isIntegralNumber() && value.canConvertToLong();
                    if (!integral && !value.isTextual()) {
                        throw new NumberFormatException();
                    }
                    yield new SettingColumns(null, integral ? value.longValue()
                            : Long.parseLong(value.textValue().trim()), null, null, null);
                }
                case "bool" -> {
                    if (!value.isValueNode()) {
                        throw new NumberFormatException();
                    }
                    boolean bool = switch (value.asText().trim().toLowerCase()) {
                        case "true", "1", "yes", "y", "t", "on" -> true;
                        case "false", "0", "no", "n", "f", "off" -> false;
                        default -> throw new NumberFormatException();
                    };
                    yield new SettingColumns(null, null, bool, null, null);
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
                    yield new SettingColumns(null, null, null, number, null);
                }
                case "json" -> {
                    // a JSON value may also arrive written out as a string: its strings obey the same rules
                    JsonNode json = value.isTextual() ? JSON.readTree(value.textValue()) : value;
                    BodyTree.checkValue("value", json);
                    yield new SettingColumns(null, null, null, null, Json.decodeValue(json.toString()));
                }
                default -> throw Errors.invalid("valueType", "\"" + type + "\" is not a valid choice.");
            };
        } catch (JsonProcessingException e) {
            throw Errors.invalid("value", "Not a valid json value.");
        } catch (AdminException e) {
            throw e;
        } catch (RuntimeException e) {
            throw Errors.invalid("value", "Not a valid " + type + " value.");
        }
    }
}
