package org.jupyterhealth.exchange.admin.access;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jupyterhealth.exchange.admin.access.AccessService.Scope;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.admin.web.QueryParams;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Records fhir-service renders as FHIR resources (docs/internal-api.md), in bulk, for service tokens only. The
 * searches apply the same visibility as the access decisions and answer {@code {"total", "results"}}; paging with
 * {@code count} (default 20, at most 1000; FHIR {@code _count}) and {@code offset} (or FHIR {@code _page}).
 */
@Path("/internal")
@RolesAllowed("internal")
@Produces(MediaType.APPLICATION_JSON)
public class InternalRecordsResource {
    private final Db db;
    private final AccessService access;

    public InternalRecordsResource(Db db, AccessService access) {
        this.db = db;
        this.access = access;
    }

    public record Identifier(String system, String value) {
    }

    public record PatientRecord(long id, Long jheUserId, String nameFamily, String nameGiven, LocalDate birthDate,
            String telecomPhone, String telecomEmail, List<Identifier> identifiers, List<Long> organizationIds,
            OffsetDateTime lastUpdated) {
    }

    public record SearchResult<T>(long total, List<T> results) {
    }

    public record CodeRecord(long id, String system, String code, String text) {
    }

    public record StudyRecord(long id, String name, String description, long organizationId, String iconUrl,
            OffsetDateTime lastUpdated) {
    }

    public record OrganizationRecord(long id, String name, String type, Long partOf, OffsetDateTime lastUpdated) {
    }

    public record DataSourceRecord(long id, String name, String type, OffsetDateTime lastUpdated) {
    }

    private record Paging(int count, long offset) {
        static Paging of(QueryParams q) {
            Long count = firstId(q, "count", "_count");
            int size = count == null || count < 0 ? 20 : (int) Math.min(count, 1000);
            Long offset = firstId(q, "offset", "_offset");
            Long page = firstId(q, "page", "_page");
            long start = offset != null ? Math.max(0, offset) : page != null && page > 1 ? (page - 1) * size : 0;
            return new Paging(size, start);
        }
    }

    private static Long firstId(QueryParams q, String... names) {
        for (String name : names) {
            Long value = q.id(name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static Long[] idList(QueryParams q, String name) {
        String raw = q.string(name);
        if (raw == null) {
            return null;
        }
        try {
            return Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Long::valueOf)
                    .toArray(Long[]::new);
        } catch (NumberFormatException e) {
            throw Errors.invalid(name, name + " must be a comma-separated list of integers.");
        }
    }

    // ------------------------------------------------------------------------------------------------ patients

    @GET
    @Path("/patients")
    @Operation(hidden = true)
    public Uni<List<PatientRecord>> patients(@Context UriInfo uri) {
        Long[] ids = idList(QueryParams.of(uri), "ids");
        if (ids == null || ids.length == 0) {
            return Uni.createFrom().item(List.of());
        }
        return patientRecords(Arrays.asList(ids));
    }

    private Uni<List<PatientRecord>> patientRecords(List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Long[] array = ids.toArray(new Long[0]);
        Uni<List<Row>> rows = db.list("SELECT p.*, a.email FROM patient p LEFT JOIN account a ON a.id = p.jhe_user_id "
                + "WHERE p.id = ANY($1)", row -> row, (Object) array);
        Uni<List<Row>> identifiers = db.list("SELECT patient_id, system, value FROM patient_identifier "
                + "WHERE patient_id = ANY($1) ORDER BY id", row -> row, (Object) array);
        Uni<List<Row>> orgs = db.list("SELECT patient_id, organization_id FROM patient_organization "
                + "WHERE patient_id = ANY($1) ORDER BY id", row -> row, (Object) array);
        return Uni.combine().all().unis(rows, identifiers, orgs).asTuple().map(t -> {
            Map<Long, List<Identifier>> ids2 = new HashMap<>();
            t.getItem2().forEach(r -> ids2.computeIfAbsent(r.getLong("patient_id"), k -> new ArrayList<>())
                    .add(new Identifier(r.getString("system"), r.getString("value"))));
            Map<Long, List<Long>> orgIds = new HashMap<>();
            t.getItem3().forEach(r -> orgIds.computeIfAbsent(r.getLong("patient_id"), k -> new ArrayList<>())
                    .add(r.getLong("organization_id")));
            Map<Long, PatientRecord> byId = new HashMap<>();
            for (Row r : t.getItem1()) {
                long id = r.getLong("id");
                byId.put(id, new PatientRecord(id, r.getLong("jhe_user_id"), r.getString("name_family"),
                        r.getString("name_given"), r.getLocalDate("birth_date"), r.getString("telecom_phone"),
                        r.getString("email"), ids2.getOrDefault(id, List.of()), orgIds.getOrDefault(id, List.of()),
                        r.getOffsetDateTime("last_updated")));
            }
            List<PatientRecord> out = new ArrayList<>();
            ids.forEach(id -> {
                if (byId.containsKey(id)) {
                    out.add(byId.get(id));
                }
            });
            return out;
        });
    }

    /**
     * The Patient search (docs/compatibility.md#fhir-search): the patients the user may see, filtered, by family name.
     */
    @GET
    @Path("/patients/search")
    @Operation(hidden = true)
    public Uni<SearchResult<PatientRecord>> searchPatients(@Context UriInfo uri) {
        QueryParams q = QueryParams.of(uri);
        Scope scope = new Scope(firstId(q, "organization_id", "patient.organization"),
                firstId(q, "study_id", "_has:Group:member:_id", "patient._has:Group:member:_id"),
                firstId(q, "patient_id", "patient"));
        Long[] onlyIds = idList(q, "_id");
        String identifier = q.string("identifier");
        String system = null;
        String value = identifier;
        if (identifier != null && identifier.contains("|")) {
            system = identifier.substring(0, identifier.indexOf('|'));
            value = identifier.substring(identifier.indexOf('|') + 1);
            system = system.isEmpty() ? null : system;
        }
        String family = q.string("family");
        String given = q.string("given");
        String name = q.string("name");
        LocalDate birthdate;
        try {
            birthdate = q.string("birthdate") == null ? null : LocalDate.parse(q.string("birthdate"));
        } catch (RuntimeException e) {
            return Uni.createFrom().failure(Errors.invalid("birthdate", "birthdate must be a date (YYYY-MM-DD)."));
        }
        Paging paging = Paging.of(q);
        String sys = system;
        String val = value;
        return access.subject(q.id("user_id"))
                .call(subject -> access.checkScope(subject, scope))
                .flatMap(subject -> access.visiblePatients(subject, scope))
                .flatMap(visible -> db.list("SELECT p.id FROM patient p WHERE p.id = ANY($1) "
                        + "AND ($2::bigint[] IS NULL OR p.id = ANY($2)) "
                        + "AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM patient_identifier i WHERE i.patient_id = p.id "
                        + "AND i.value = $4 AND ($3::text IS NULL OR i.system = $3))) "
                        + "AND ($5::text IS NULL OR p.name_family ILIKE $5 || '%') "
                        + "AND ($6::text IS NULL OR p.name_given ILIKE $6 || '%') "
                        + "AND ($7::text IS NULL OR p.name_family ILIKE $7 || '%' OR p.name_given ILIKE $7 || '%') "
                        + "AND ($8::date IS NULL OR p.birth_date = $8) ORDER BY p.name_family NULLS LAST, p.id",
                        row -> row.getLong(0), Db.ids(visible), onlyIds, sys, val, family, given, name, birthdate))
                .flatMap(matching -> {
                    List<Long> page = matching.stream().skip(paging.offset()).limit(paging.count()).toList();
                    return patientRecords(page).map(records -> new SearchResult<>(matching.size(), records));
                });
    }

    // ------------------------------------------------------------------------------------------------ others

    /** Studies (FHIR Group): a practitioner's organizations' studies, a patient's own; filters _id, name. */
    @GET
    @Path("/studies")
    @Operation(hidden = true)
    public Uni<SearchResult<StudyRecord>> studies(@Context UriInfo uri) {
        QueryParams q = QueryParams.of(uri);
        Paging paging = Paging.of(q);
        Long[] onlyIds = idList(q, "_id");
        String name = q.string("name");
        Long organizationId = firstId(q, "organization_id");
        Long patientId = firstId(q, "patient_id", "patient");
        return access.subject(q.id("user_id")).flatMap(subject -> {
            String where = "WHERE (s.organization_id IN (SELECT organization_id FROM practitioner_organization "
                    + "WHERE practitioner_id = $1) OR s.id IN (SELECT study_id FROM study_patient WHERE patient_id = $2)) "
                    + "AND ($3::bigint[] IS NULL OR s.id = ANY($3)) AND ($4::text IS NULL OR s.name ILIKE $4 || '%') "
                    + "AND ($5::bigint IS NULL OR s.organization_id = $5) AND ($6::bigint IS NULL OR s.id IN "
                    + "(SELECT study_id FROM study_patient WHERE patient_id = $6))";
            Object[] params = { subject.practitionerId(), subject.patientId(), onlyIds, name, organizationId,
                    patientId };
            return db.count("SELECT count(*) FROM study s " + where, params)
                    .flatMap(total -> db.list("SELECT * FROM study s " + where + " ORDER BY s.name, s.id OFFSET "
                            + paging.offset() + " LIMIT " + paging.count(), r -> new StudyRecord(r.getLong("id"),
                                    r.getString("name"), r.getString("description"), r.getLong("organization_id"),
                                    r.getString("icon_url"), r.getOffsetDateTime("last_updated")), params)
                            .map(rows -> new SearchResult<>(total, rows)));
        });
    }

    /** Organizations the user belongs to (practitioner or patient); filters _id, name. */
    @GET
    @Path("/organizations")
    @Operation(hidden = true)
    public Uni<SearchResult<OrganizationRecord>> organizations(@Context UriInfo uri) {
        QueryParams q = QueryParams.of(uri);
        Paging paging = Paging.of(q);
        Long[] onlyIds = idList(q, "_id");
        String name = q.string("name");
        return access.subject(q.id("user_id")).flatMap(subject -> {
            String where = "WHERE (o.id IN (SELECT organization_id FROM practitioner_organization WHERE "
                    + "practitioner_id = $1) OR o.id IN (SELECT organization_id FROM patient_organization WHERE "
                    + "patient_id = $2)) AND ($3::bigint[] IS NULL OR o.id = ANY($3)) "
                    + "AND ($4::text IS NULL OR o.name ILIKE $4 || '%')";
            Object[] params = { subject.practitionerId(), subject.patientId(), onlyIds, name };
            return db.count("SELECT count(*) FROM organization o " + where, params)
                    .flatMap(total -> db.list("SELECT * FROM organization o " + where + " ORDER BY o.name, o.id "
                            + "OFFSET " + paging.offset() + " LIMIT " + paging.count(),
                            r -> new OrganizationRecord(r.getLong("id"), r.getString("name"), r.getString("type"),
                                    r.getLong("part_of"), r.getOffsetDateTime("last_updated")), params)
                            .map(rows -> new SearchResult<>(total, rows)));
        });
    }

    /** Data sources (FHIR Device) linked to the studies the user may see; filters _id. */
    @GET
    @Path("/data-sources")
    @Operation(hidden = true)
    public Uni<SearchResult<DataSourceRecord>> dataSources(@Context UriInfo uri) {
        QueryParams q = QueryParams.of(uri);
        Paging paging = Paging.of(q);
        Long[] onlyIds = idList(q, "_id");
        return access.subject(q.id("user_id")).flatMap(subject -> {
            String where = "WHERE d.id IN (SELECT l.data_source_id FROM study_data_source l JOIN study s "
                    + "ON s.id = l.study_id WHERE s.organization_id IN (SELECT organization_id FROM "
                    + "practitioner_organization WHERE practitioner_id = $1) OR s.id IN (SELECT study_id FROM "
                    + "study_patient WHERE patient_id = $2)) AND ($3::bigint[] IS NULL OR d.id = ANY($3))";
            Object[] params = { subject.practitionerId(), subject.patientId(), onlyIds };
            return db.count("SELECT count(*) FROM data_source d " + where, params)
                    .flatMap(total -> db.list("SELECT * FROM data_source d " + where + " ORDER BY d.name, d.id "
                            + "OFFSET " + paging.offset() + " LIMIT " + paging.count(),
                            r -> new DataSourceRecord(r.getLong("id"), r.getString("name"), r.getString("type"),
                                    r.getOffsetDateTime("last_updated")), params)
                            .map(rows -> new SearchResult<>(total, rows)));
        });
    }

    @GET
    @Path("/codes")
    @Operation(hidden = true)
    public Uni<List<CodeRecord>> codes() {
        return db.list("SELECT * FROM codeable_concept ORDER BY id", r -> new CodeRecord(r.getLong("id"),
                r.getString("coding_system"), r.getString("coding_code"), r.getString("text")));
    }
}
