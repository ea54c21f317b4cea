package org.jupyterhealth.exchange.admin.patient;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.organization.OrganizationResponse;
import org.jupyterhealth.exchange.admin.patient.PatientResponse.Identifier;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/** Patient records, loaded in bulk: one query each for the patients, their identifiers and their organizations. */
@ApplicationScoped
public class PatientRepository {
    private final Db db;

    public PatientRepository(Db db) {
        this.db = db;
    }

    /** The patients with these ids, in the order given (missing ids are skipped). */
    public Uni<List<PatientResponse>> findByIds(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Long[] array = Db.ids(ids);
        Uni<List<Row>> patients = db.list("SELECT p.id, p.jhe_user_id, p.name_family, p.name_given, p.birth_date, "
                + "p.telecom_phone, a.email FROM patient p LEFT JOIN account a ON a.id = p.jhe_user_id "
                + "WHERE p.id = ANY($1)", row -> row, (Object) array);
        Uni<List<Row>> identifiers = db.list("SELECT id, patient_id, system, value FROM patient_identifier "
                + "WHERE patient_id = ANY($1) ORDER BY id", row -> row, (Object) array);
        Uni<List<Row>> organizations = db.list("SELECT pa.patient_id, o.id, o.name, o.type, o.part_of "
                + "FROM patient_organization pa JOIN organization o ON o.id = pa.organization_id "
                + "WHERE pa.patient_id = ANY($1) ORDER BY pa.id", row -> row, (Object) array);
        return Uni.combine().all().unis(patients, identifiers, organizations).asTuple().map(t -> {
            Map<Long, List<Identifier>> idsByPatient = new HashMap<>();
            for (Row row : t.getItem2()) {
                idsByPatient.computeIfAbsent(row.getLong("patient_id"), k -> new ArrayList<>())
                        .add(new Identifier(row.getLong("id"), row.getString("system"), row.getString("value")));
            }
            Map<Long, List<OrganizationResponse>> orgsByPatient = new HashMap<>();
            for (Row row : t.getItem3()) {
                orgsByPatient.computeIfAbsent(row.getLong("patient_id"), k -> new ArrayList<>())
                        .add(new OrganizationResponse(row.getLong("id"), row.getString("name"),
                                row.getString("type"), row.getLong("part_of"), null, List.of()));
            }
            Map<Long, PatientResponse> byId = new LinkedHashMap<>();
            for (Row row : t.getItem1()) {
                long id = row.getLong("id");
                List<Identifier> identifierList = idsByPatient.getOrDefault(id, List.of());
                List<OrganizationResponse> orgs = orgsByPatient.getOrDefault(id, List.of());
                byId.put(id, new PatientResponse(id, row.getLong("jhe_user_id"),
                        identifierList.isEmpty() ? null : identifierList.get(0).value(), identifierList,
                        row.getString("name_family"), row.getString("name_given"), row.getLocalDate("birth_date"),
                        row.getString("telecom_phone"), row.getString("email"),
                        orgs.isEmpty() ? null : orgs.get(0).id(), orgs));
            }
            List<PatientResponse> ordered = new ArrayList<>(byId.size());
            for (Long id : ids) {
                PatientResponse p = byId.get(id);
                if (p != null) {
                    ordered.add(p);
                }
            }
            return ordered;
        });
    }

    public Uni<PatientResponse> findById(long id) {
        return findByIds(List.of(id)).map(list -> list.isEmpty() ? null : list.get(0));
    }

    public Uni<Boolean> exists(SqlClient client, long id) {
        return Db.one(client, "SELECT EXISTS (SELECT 1 FROM patient WHERE id = $1)", row -> row.getBoolean(0), id);
    }

    /** The patient record of an account, or null. */
    public Uni<Long> idOfUser(long userId) {
        return db.one("SELECT id FROM patient WHERE jhe_user_id = $1", row -> row.getLong(0), userId);
    }

    /** Filters of the patient list (behaviour.md §2.4); null means "not filtered". */
    public record Filter(Long organizationId, Long studyId, Long patientId, String identifierValue) {
    }

    private static final String SCOPED_FROM = " FROM patient_organization pa WHERE pa.organization_id IN "
            + "(SELECT organization_id FROM practitioner_organization WHERE practitioner_id = $1) "
            + "AND ($2::bigint IS NULL OR pa.organization_id = $2) "
            + "AND ($3::bigint IS NULL OR EXISTS (SELECT 1 FROM study_patient sp WHERE sp.study_id = $3 "
            + "AND sp.patient_id = pa.patient_id)) "
            + "AND ($4::bigint IS NULL OR pa.patient_id = $4) "
            + "AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM patient_identifier pi WHERE pi.value = $5 "
            + "AND pi.patient_id = pa.patient_id))";

    /** How many patients the practitioner shares an organization with, filtered. */
    public Uni<Long> countShared(long practitionerId, Filter f) {
        String select = f.organizationId() != null ? "SELECT count(*)" : "SELECT count(DISTINCT pa.patient_id)";
        return db.count(select + SCOPED_FROM, practitionerId, f.organizationId(), f.studyId(), f.patientId(),
                f.identifierValue());
    }

    /** One page of their ids, in id order. */
    public Uni<List<Long>> pageShared(long practitionerId, Filter f, long offset, int limit) {
        // one organization: (organization_id, patient_id) is unique, so no DISTINCT and an index range scan
        String select = f.organizationId() != null ? "SELECT pa.patient_id" : "SELECT DISTINCT pa.patient_id";
        return db.list(select + SCOPED_FROM + " ORDER BY pa.patient_id OFFSET $6 LIMIT $7",
                row -> row.getLong(0), practitionerId, f.organizationId(), f.studyId(), f.patientId(),
                f.identifierValue(), offset, limit);
    }
}
