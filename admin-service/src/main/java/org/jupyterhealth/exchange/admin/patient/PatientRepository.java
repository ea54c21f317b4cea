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

    /** Filters of the patient list (docs/compatibility.md#patients); null means "not filtered". */
    public record Filter(Long organizationId, Long studyId, Long patientId, String identifierValue) {
    }

    /** One page of a list and the size of the whole list. */
    public record Slice(long total, List<PatientResponse> rows) {
    }

    /**
     * The patients practitioner $1 shares an organization with, filtered, in id order: one page with every field
     * and the total, in one statement. Only the filters given appear in the SQL, so that each combination gets
     * its own plan (an organization's list is an index-only range scan of {@code patient_organization}).
     */
    public Uni<Slice> pageShared(long practitionerId, Filter f, long offset, int limit) {
        List<Object> params = new ArrayList<>();
        params.add(practitionerId);
        StringBuilder where = new StringBuilder();
        String distinct = "DISTINCT ";
        if (f.organizationId() != null) {
            params.add(f.organizationId());
            where.append("pa.organization_id = $2 AND EXISTS (SELECT 1 FROM practitioner_organization m "
                    + "WHERE m.practitioner_id = $1 AND m.organization_id = $2)");
            // (organization_id, patient_id) is unique: no duplicates to remove
            distinct = "";
        } else {
            where.append("pa.organization_id IN (SELECT organization_id FROM practitioner_organization "
                    + "WHERE practitioner_id = $1)");
        }
        if (f.studyId() != null) {
            params.add(f.studyId());
            where.append(" AND EXISTS (SELECT 1 FROM study_patient sp WHERE sp.study_id = $").append(params.size())
                    .append(" AND sp.patient_id = pa.patient_id)");
        }
        if (f.patientId() != null) {
            params.add(f.patientId());
            where.append(" AND pa.patient_id = $").append(params.size());
        }
        if (f.identifierValue() != null) {
            params.add(f.identifierValue());
            where.append(" AND EXISTS (SELECT 1 FROM patient_identifier pi WHERE pi.value = $").append(params.size())
                    .append(" AND pi.patient_id = pa.patient_id)");
        }
        params.add(offset);
        String ids = "SELECT " + distinct + "pa.patient_id FROM patient_organization pa WHERE " + where;
        // the total as an uncorrelated sub-query (computed once): an organization's whole list is counted by the
        // triggers of organization_patient_count, any narrower list by an index-only count; the page is an index
        // range
        boolean organizationOnly = f.organizationId() != null && f.studyId() == null && f.patientId() == null
                && f.identifierValue() == null;
        String counter = "(SELECT c.patients FROM organization_patient_count c WHERE c.organization_id = $2)";
        String totalSql = organizationOnly
                ? "CASE WHEN EXISTS (SELECT 1 FROM practitioner_organization m WHERE m.practitioner_id = $1 "
                        + "AND m.organization_id = $2) THEN coalesce(" + counter + ", 0) ELSE 0 END"
                : "(SELECT count(*) FROM (" + ids + ") AS matching)";
        // the page size is written into the statement (a validated int, from a handful of values): with a known
        // LIMIT the plan PostgreSQL caches for the statement is the index range, and no execution plans again
        int size = Math.max(0, limit);
        String off = "$" + params.size();
        String pageIds = ids + " ORDER BY pa.patient_id OFFSET " + off + " LIMIT " + size;
        String trim = "";
        if (organizationOnly) {
            // an organization's list knows its length, so a page in its second half is read from the end of the
            // index: the last page skips nothing instead of every member before it (PostgreSQL runs only the
            // branch whose one-time condition holds). Read backwards, a page near the end takes `size` rows; the
            // outer OFFSET drops those before the page's start (a partial last page). Limits stay literals, so the
            // cached plan joins the page's few rows by index.
            pageIds = "(" + ids + " AND " + off + " <= " + counter + " / 2 ORDER BY pa.patient_id OFFSET " + off
                    + " LIMIT " + size + ") UNION ALL (" + ids + " AND " + off + " > " + counter + " / 2 "
                    + "ORDER BY pa.patient_id DESC OFFSET greatest(" + counter + " - " + off + " - " + size
                    + ", 0) LIMIT " + size + ")";
            trim = " OFFSET CASE WHEN " + off + " > " + counter + " / 2 THEN greatest(least(" + size + ", "
                    + counter + ") - (" + counter + " - " + off + "), 0) ELSE 0 END";
        }
        String sql = "WITH page AS (" + pageIds + ") SELECT " + totalSql + " AS total, p.id, p.jhe_user_id, "
                + "p.name_family, p.name_given, p.birth_date, p.telecom_phone, "
                + "a.email, " + IDENTIFIERS_JSON + " AS identifiers, " + ORGANIZATIONS_JSON + " AS organizations "
                + "FROM page JOIN patient p ON p.id = page.patient_id LEFT JOIN account a ON a.id = p.jhe_user_id "
                + "ORDER BY p.id" + trim;
        Object[] values = params.toArray();
        return db.list(sql, row -> row, values).flatMap(rows -> {
            List<PatientResponse> page = new ArrayList<>(rows.size());
            for (Row row : rows) {
                page.add(fromJsonRow(row));
            }
            if (!rows.isEmpty()) {
                return Uni.createFrom().item(new Slice(rows.get(0).getLong("total"), page));
            }
            if (offset == 0) {
                return Uni.createFrom().item(new Slice(0, page));
            }
            // past the end: the total still matters (for the envelope, or the 404 of a page style request)
            Object[] countParams = java.util.Arrays.copyOf(values, values.length - 1);
            return db.count("SELECT count(*) FROM (" + ids + ") AS matching", countParams)
                    .map(total -> new Slice(total, page));
        });
    }

    static final String IDENTIFIERS_JSON = "(SELECT coalesce(json_agg(json_build_object('id', i.id, 'system', "
            + "i.system, 'value', i.value) ORDER BY i.id), '[]'::json) FROM patient_identifier i "
            + "WHERE i.patient_id = p.id)";
    static final String ORGANIZATIONS_JSON = "(SELECT coalesce(json_agg(json_build_object('id', o.id, 'name', "
            + "o.name, 'type', o.type, 'partOf', o.part_of) ORDER BY po.id), '[]'::json) FROM patient_organization po "
            + "JOIN organization o ON o.id = po.organization_id WHERE po.patient_id = p.id)";

    private static PatientResponse fromJsonRow(Row row) {
        List<Identifier> identifiers = new ArrayList<>();
        Object rawIds = row.getValue("identifiers");
        if (rawIds instanceof io.vertx.core.json.JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                io.vertx.core.json.JsonObject o = array.getJsonObject(i);
                identifiers.add(new Identifier(o.getLong("id"), o.getString("system"), o.getString("value")));
            }
        }
        List<OrganizationResponse> orgs = new ArrayList<>();
        Object rawOrgs = row.getValue("organizations");
        if (rawOrgs instanceof io.vertx.core.json.JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                io.vertx.core.json.JsonObject o = array.getJsonObject(i);
                orgs.add(new OrganizationResponse(o.getLong("id"), o.getString("name"), o.getString("type"),
                        o.getLong("partOf"), null, List.of()));
            }
        }
        long id = row.getLong("id");
        return new PatientResponse(id, row.getLong("jhe_user_id"),
                identifiers.isEmpty() ? null : identifiers.get(0).value(), identifiers, row.getString("name_family"),
                row.getString("name_given"), row.getLocalDate("birth_date"), row.getString("telecom_phone"),
                row.getString("email"), orgs.isEmpty() ? null : orgs.get(0).id(), orgs);
    }
}
