package org.jupyterhealth.exchange.admin.fhirsource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.config.AdminConfig;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.event.Events;
import org.jupyterhealth.exchange.admin.security.Caller;
import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;
import org.jupyterhealth.exchange.admin.web.UrlRules;

import io.smallrye.mutiny.Uni;

/**
 * Patients' FHIR sources (docs/compatibility.md#fhir-sources): a patient registers the outside servers its apps copy
 * resources from, and manages them; nobody else sees them here (a practitioner or superuser gets an empty list and
 * 404s, as a source tells of the patient's other care). The resource store asks for a source through
 * {@code /internal/fhir_sources/{id}}.
 */
@ApplicationScoped
public class FhirSourceService {
    static final String ONLY_PATIENTS = "Only patients can register FHIR sources.";

    private final Db db;
    private final FhirSourceRepository sources;
    private final AdminConfig config;
    private final Events events;

    public FhirSourceService(Db db, FhirSourceRepository sources, AdminConfig config, Events events) {
        this.events = events;
        this.db = db;
        this.sources = sources;
        this.config = config;
    }

    private Uni<FhirSourceResponse> own(Caller caller, long id) {
        Uni<FhirSourceResponse> found = caller.isPatient() ? sources.findOwn(id, caller.patientId())
                : Uni.createFrom().nullItem();
        return found.invoke(source -> {
            if (source == null) {
                throw Errors.notFound("FhirSource");
            }
        });
    }

    public Uni<Page<FhirSourceResponse>> list(Caller caller, PageRequest page) {
        if (!caller.isPatient()) {
            PageRequest resolved = page.resolve(0);
            return Uni.createFrom().item(resolved.page(0, java.util.List.of()));
        }
        return sources.countOwn(caller.patientId()).flatMap(count -> {
            PageRequest resolved = page.resolve(count);
            return sources.listOwn(caller.patientId(), resolved.offset(), resolved.limit())
                    .map(rows -> resolved.page(count, rows));
        });
    }

    public Uni<FhirSourceResponse> source(Caller caller, long id) {
        return own(caller, id);
    }

    /** The source for the resource store: whose it is and where it copies from; 404 when there is none. */
    public Uni<FhirSourceRecord> record(long id) {
        return sources.find(id).map(source -> {
            if (source == null) {
                throw Errors.notFound("FhirSource");
            }
            return FhirSourceRecord.of(source);
        });
    }

    /**
     * Registers a source of the caller's, or (the same data source and server again) relabels the one it registered
     * before and answers it, as the original does: an app that registers at every start gets one source.
     */
    public Uni<FhirSourceResponse> create(Caller caller, FhirSourceRequest request) {
        if (!caller.isPatient()) {
            return Uni.createFrom().failure(Errors.forbidden(ONLY_PATIENTS));
        }
        if (request.dataSource() == null) {
            return Uni.createFrom().failure(Errors.invalid("dataSource", "This field is required."));
        }
        String url = baseUrl(request.fhirBaseUrl());
        String label = request.label() == null ? "" : request.label();
        return dataSource(request.dataSource())
                .chain(() -> db.inTransaction(tx -> sources.upsert(tx, caller.patientId(), request.dataSource(),
                        label, url == null ? "" : url)))
                .flatMap(id -> own(caller, id));
    }

    /** A full replacement: the data source again, and the label and base URL (empty when not given). */
    public Uni<FhirSourceResponse> replace(Caller caller, long id, FhirSourceRequest request) {
        if (request.dataSource() == null) {
            return own(caller, id).chain(() -> Uni.createFrom()
                    .failure(Errors.invalid("dataSource", "This field is required.")));
        }
        String url = baseUrl(request.fhirBaseUrl());
        return own(caller, id).chain(() -> dataSource(request.dataSource()))
                .chain(() -> db.inTransaction(tx -> sources.update(tx, id, request.dataSource(),
                        request.label() == null ? "" : request.label(), url == null ? "" : url)))
                .chain(() -> own(caller, id));
    }

    public Uni<FhirSourceResponse> patch(Caller caller, long id, FhirSourceRequest request) {
        String url = baseUrl(request.fhirBaseUrl());
        return own(caller, id)
                .chain(() -> request.dataSource() == null ? Uni.createFrom().voidItem()
                        : dataSource(request.dataSource()))
                .chain(() -> db.inTransaction(tx -> sources.update(tx, id, request.dataSource(), request.label(),
                        url)))
                .chain(() -> own(caller, id));
    }

    /**
     * Deletes the source and, as the original's cascade does, the resources written through it: ingest-service
     * deletes them on the {@code FHIR_SOURCE_DELETED} event recorded with the deletion.
     */
    public Uni<Void> delete(Caller caller, long id) {
        return own(caller, id).chain(source -> db.inTransaction(tx -> sources.delete(tx, id)
                .chain(() -> events.fhirSourceDeleted(tx, source.patient(), id)))).replaceWithVoid();
    }

    private Uni<Void> dataSource(long dataSourceId) {
        return sources.dataSourceExists(dataSourceId).invoke(exists -> {
            if (!exists) {
                throw Errors.invalid("dataSource", "Data source " + dataSourceId + " does not exist.");
            }
        }).replaceWithVoid();
    }

    /** An empty base URL means none; any other must be an absolute https URL of a public host. */
    private String baseUrl(String raw) {
        if (raw == null || raw.isBlank()) {
            return raw == null ? null : "";
        }
        return UrlRules.check("fhirBaseUrl", raw.trim(), config.allowLocalHttpUrls());
    }
}
