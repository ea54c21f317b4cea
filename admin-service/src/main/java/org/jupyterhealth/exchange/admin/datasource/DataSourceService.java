package org.jupyterhealth.exchange.admin.datasource;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.security.Caller;
import org.jupyterhealth.exchange.admin.security.Permissions;
import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;

import io.smallrye.mutiny.Uni;

/**
 * Data sources and the data types they support (docs/compatibility.md#data-sources): read by every signed-in user;
 * created, changed and deleted, and their supported data types changed, by superusers only
 * (docs/compatibility.md#missing-permission-checks).
 */
@ApplicationScoped
public class DataSourceService {
    public static final String MEDICAL_DEVICE = "medical_device";
    public static final String PERSONAL_DEVICE = "personal_device";
    public static final String PATIENT_APP = "patient_app";

    private final Db db;
    private final DataSourceRepository dataSources;

    public DataSourceService(Db db, DataSourceRepository dataSources) {
        this.db = db;
        this.dataSources = dataSources;
    }

    public Uni<Page<DataSourceResponse>> listDataSources(PageRequest page) {
        return dataSources.count().flatMap(count -> {
            PageRequest resolved = page.resolve(count);
            return dataSources.list(resolved.offset(), resolved.limit())
                    .flatMap(rows -> dataSources.listScopesByDataSources(rows.stream().map(DataSourceResponse::id)
                            .toList()).map(scopes -> resolved.page(count, rows.stream()
                                    .map(d -> d.withSupportedScopes(scopes.getOrDefault(d.id(), List.of())))
                                    .toList())));
        });
    }

    public Uni<List<CodeResponse>> listCodes() {
        return dataSources.listCodes();
    }

    /** The data source with its data types: 404 when there is none. */
    public Uni<DataSourceResponse> dataSource(long id) {
        return dataSources.findById(id).flatMap(d -> d == null
                ? Uni.createFrom().failure(Errors.notFound("DataSource"))
                : dataSources.listScopesByDataSources(List.of(id))
                        .map(s -> d.withSupportedScopes(s.getOrDefault(id, List.of()))));
    }

    public Uni<DataSourceResponse> createDataSource(Caller caller, DataSourceRequest request) {
        String type = request.type() == null ? PERSONAL_DEVICE : request.type();
        return Permissions.requireSuperuser(caller)
                .chain(() -> db.inTransaction(tx -> dataSources.insert(tx, request.name().trim(), type)))
                .flatMap(this::dataSource);
    }

    /** {@code PUT}: the name replaced; the type too when given. */
    public Uni<DataSourceResponse> replaceDataSource(Caller caller, long id, DataSourceRequest request) {
        return updateDataSource(caller, id, request.name(), request.type());
    }

    /** {@code PATCH}: what the request names changes. */
    public Uni<DataSourceResponse> patchDataSource(Caller caller, long id, DataSourcePatch patch) {
        return updateDataSource(caller, id, patch.name(), patch.type());
    }

    private Uni<DataSourceResponse> updateDataSource(Caller caller, long id, String name, String type) {
        String trimmed = name == null ? null : name.trim();
        return Permissions.requireSuperuser(caller).chain(() -> dataSource(id))
                .chain(() -> db.inTransaction(tx -> dataSources.update(tx, id, trimmed, type)))
                .chain(() -> dataSource(id));
    }

    public Uni<Void> deleteDataSource(Caller caller, long id) {
        return Permissions.requireSuperuser(caller).chain(() -> dataSource(id))
                .chain(() -> db.inTransaction(tx -> dataSources.delete(tx, id)))
                .replaceWithVoid();
    }

    public Uni<List<SupportedScopeResponse>> listSupportedScopes(long id) {
        return dataSource(id).flatMap(dataSources::listSupportedScopes);
    }

    /** Adds a data type the data source supports: 400 for a data type that does not exist, 409 for one it has. */
    public Uni<SupportedScopeLinkResponse> addSupportedScope(Caller caller, long id, SupportedScopeRequest request) {
        Long codeId = request.scopeCodeId();
        return Permissions.requireSuperuser(caller).chain(() -> dataSource(id)).chain(() -> {
            if (codeId == null) {
                return Uni.createFrom().failure(Errors.invalid("scopeCodeId", "scope_code_id is required."));
            }
            return dataSources.codeExists(codeId);
        }).invoke(exists -> {
            if (!exists) {
                throw Errors.invalid("scopeCodeId", "Code " + codeId + " does not exist.");
            }
        }).chain(() -> db.inTransaction(tx -> dataSources.insertSupportedScope(tx, id, codeId))).map(newId -> {
            if (newId == null) {
                throw Errors.conflict("Data source " + id + " already supports code " + codeId + ".");
            }
            return new SupportedScopeLinkResponse(newId, id, codeId);
        });
    }

    public Uni<Void> removeSupportedScope(Caller caller, long id, SupportedScopeRequest request) {
        Long codeId = request.scopeCodeId();
        return Permissions.requireSuperuser(caller).chain(() -> {
            if (codeId == null) {
                return Uni.createFrom().failure(Errors.invalid("scopeCodeId", "scope_code_id is required."));
            }
            return db.inTransaction(tx -> dataSources.deleteSupportedScope(tx, id, codeId));
        }).replaceWithVoid();
    }
}
