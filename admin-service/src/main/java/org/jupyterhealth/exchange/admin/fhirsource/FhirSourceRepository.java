package org.jupyterhealth.exchange.admin.fhirsource;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.db.Db;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/** The SQL of patients' FHIR sources ({@code fhir_source}). */
@ApplicationScoped
public class FhirSourceRepository {
    private static final String COLUMNS = "id, patient_id, data_source_id, label, fhir_base_url, last_updated";

    private final Db db;

    public FhirSourceRepository(Db db) {
        this.db = db;
    }

    private static FhirSourceResponse source(Row r) {
        return new FhirSourceResponse(r.getLong("id"), r.getLong("patient_id"), r.getLong("data_source_id"),
                r.getString("label"), r.getString("fhir_base_url"), r.getOffsetDateTime("last_updated"));
    }

    /** The source of this number, or null. */
    public Uni<FhirSourceResponse> find(long id) {
        return db.one("SELECT " + COLUMNS + " FROM fhir_source WHERE id = $1", FhirSourceRepository::source, id);
    }

    /** The patient's source of this number, or null (also when it is another patient's). */
    public Uni<FhirSourceResponse> findOwn(long id, long patientId) {
        return db.one("SELECT " + COLUMNS + " FROM fhir_source WHERE id = $1 AND patient_id = $2",
                FhirSourceRepository::source, id, patientId);
    }

    public Uni<Long> countOwn(long patientId) {
        return db.count("SELECT count(*) FROM fhir_source WHERE patient_id = $1", patientId);
    }

    /** The patient's sources, oldest first. */
    public Uni<List<FhirSourceResponse>> listOwn(long patientId, long offset, int limit) {
        return db.list("SELECT " + COLUMNS + " FROM fhir_source WHERE patient_id = $1 ORDER BY id OFFSET $2 LIMIT $3",
                FhirSourceRepository::source, patientId, offset, limit);
    }

    public Uni<Boolean> dataSourceExists(long dataSourceId) {
        return db.one("SELECT EXISTS (SELECT 1 FROM data_source WHERE id = $1)", r -> r.getBoolean(0), dataSourceId);
    }

    /**
     * Registers a source, or relabels the patient's source of the same data source and server (a non-empty base URL):
     * one statement, so that two registrations at once give one source. Its id.
     */
    public Uni<Long> upsert(SqlClient tx, long patientId, long dataSourceId, String label, String fhirBaseUrl) {
        return Db.one(tx, "INSERT INTO fhir_source (patient_id, data_source_id, label, fhir_base_url) "
                + "VALUES ($1, $2, $3, $4) ON CONFLICT (patient_id, data_source_id, fhir_base_url) "
                + "WHERE fhir_base_url <> '' DO UPDATE SET label = EXCLUDED.label, last_updated = now() RETURNING id",
                r -> r.getLong(0), patientId, dataSourceId, label, fhirBaseUrl);
    }

    /** Sets what is given (a null keeps the value): the number of rows changed. */
    public Uni<Integer> update(SqlClient tx, long id, Long dataSourceId, String label, String fhirBaseUrl) {
        return Db.update(tx, "UPDATE fhir_source SET data_source_id = COALESCE($2, data_source_id), "
                + "label = COALESCE($3, label), fhir_base_url = COALESCE($4, fhir_base_url), last_updated = now() "
                + "WHERE id = $1", id, dataSourceId, label, fhirBaseUrl);
    }

    public Uni<Integer> delete(SqlClient tx, long id) {
        return Db.update(tx, "DELETE FROM fhir_source WHERE id = $1", id);
    }
}
