package org.jupyterhealth.exchange.admin.patient;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.event.Events;
import org.jupyterhealth.exchange.admin.organization.OrganizationResponse;
import org.jupyterhealth.exchange.admin.patient.PatientResponse.Identifier;
import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.admin.web.Json;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * The SQL of patients, their identifiers and their organization memberships. Records are loaded in bulk: one query
 * each for the patients, their identifiers and their organizations.
 */
@ApplicationScoped
public class PatientRepository {
    private final Db db;
    private final Events events;

    public PatientRepository(Db db, Events events) {
        this.db = db;
        this.events = events;
    }

    /** An identifier to store: its system and value, trimmed. */
    public record IdentifierValue(String system, String value) {
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

    /**
     * The records fhir-service renders (docs/internal-api.md) of these patients, in the order given (missing ids are
     * skipped): one query each for the patients, their identifiers and their organizations, run together.
     */
    public Uni<List<PatientRecord>> findRecordsByIds(List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Long[] array = Db.ids(ids);
        Uni<List<Row>> rows = db.list("SELECT p.*, a.email FROM patient p LEFT JOIN account a ON a.id = p.jhe_user_id "
                + "WHERE p.id = ANY($1)", row -> row, (Object) array);
        Uni<List<Row>> identifiers = db.list("SELECT patient_id, system, value FROM patient_identifier "
                + "WHERE patient_id = ANY($1) ORDER BY id", row -> row, (Object) array);
        Uni<List<Row>> memberships = db.list("SELECT patient_id, organization_id FROM patient_organization "
                + "WHERE patient_id = ANY($1) ORDER BY id", row -> row, (Object) array);
        return Uni.combine().all().unis(rows, identifiers, memberships).asTuple().map(t -> {
            Map<Long, List<PatientRecord.Identifier>> identifiersOf = new HashMap<>();
            t.getItem2().forEach(r -> identifiersOf.computeIfAbsent(r.getLong("patient_id"), k -> new ArrayList<>())
                    .add(new PatientRecord.Identifier(r.getString("system"), r.getString("value"))));
            Map<Long, List<Long>> organizationsOf = new HashMap<>();
            t.getItem3().forEach(r -> organizationsOf.computeIfAbsent(r.getLong("patient_id"), k -> new ArrayList<>())
                    .add(r.getLong("organization_id")));
            Map<Long, PatientRecord> byId = new HashMap<>();
            for (Row r : t.getItem1()) {
                long id = r.getLong("id");
                byId.put(id, new PatientRecord(id, r.getLong("jhe_user_id"), r.getString("name_family"),
                        r.getString("name_given"), r.getLocalDate("birth_date"), r.getString("telecom_phone"),
                        r.getString("email"), identifiersOf.getOrDefault(id, List.of()),
                        organizationsOf.getOrDefault(id, List.of()), r.getOffsetDateTime("last_updated")));
            }
            return ids.stream().filter(byId::containsKey).map(byId::get).toList();
        });
    }

    /**
     * The FHIR Patient search's filters (docs/compatibility.md#fhir-search) over the patients the user may see
     * ({@code visible}): the matching ids by family name, then id. A null filter does not filter.
     */
    public Uni<List<Long>> searchIds(List<Long> visible, Long[] onlyIds, String identifierSystem,
            String identifierValue, String family, String given, String name, LocalDate birthDate) {
        return db.list("SELECT p.id FROM patient p WHERE p.id = ANY($1) "
                + "AND ($2::bigint[] IS NULL OR p.id = ANY($2)) "
                + "AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM patient_identifier i WHERE i.patient_id = p.id "
                + "AND i.value = $4 AND ($3::text IS NULL OR i.system = $3))) "
                + "AND ($5::text IS NULL OR p.name_family ILIKE $5 || '%') "
                + "AND ($6::text IS NULL OR p.name_given ILIKE $6 || '%') "
                + "AND ($7::text IS NULL OR p.name_family ILIKE $7 || '%' OR p.name_given ILIKE $7 || '%') "
                + "AND ($8::date IS NULL OR p.birth_date = $8) ORDER BY p.name_family NULLS LAST, p.id",
                row -> row.getLong(0), Db.ids(visible), onlyIds, identifierSystem, identifierValue, family, given,
                name, birthDate);
    }

    public Uni<Boolean> exists(SqlClient client, long id) {
        return Db.one(client, "SELECT EXISTS (SELECT 1 FROM patient WHERE id = $1)", row -> row.getBoolean(0), id);
    }

    /** The patient record of an account, or null. */
    public Uni<Long> idOfUser(long userId) {
        return db.one("SELECT id FROM patient WHERE jhe_user_id = $1", row -> row.getLong(0), userId);
    }

    /** Filters of the patient list (docs/compatibility.md#patients); null means "not filtered". */
    /**
     * @param search   a case-insensitive part of the family or given name ("Peter Park" too) or of the e-mail; null
     *                 for none
     * @param ordering the list's order ({@link Ordering#ID} by default)
     */
    public record Filter(Long organizationId, Long studyId, Long patientId, String identifierValue, String search,
            Ordering ordering) {

        public Filter(Long organizationId, Long studyId, Long patientId, String identifierValue) {
            this(organizationId, studyId, patientId, identifierValue, null, Ordering.ID);
        }
    }

    /** The longest search term of the patient list. */
    static final int MAX_SEARCH = 100;

    /** A search term as given, checked: at most {@link #MAX_SEARCH} characters (control characters never get here). */
    public static String search(String term) {
        if (term != null && term.length() > MAX_SEARCH) {
            throw Errors.invalid("search", "search must be at most " + MAX_SEARCH + " characters.");
        }
        return term;
    }

    /**
     * The order of the patient list ({@code ordering}, as the original's list views spell it: a field, with
     * {@code -} before it for descending); ties are broken by id. Names and e-mails compare without regard to case,
     * missing values last.
     */
    public record Ordering(String field, boolean descending) {
        public static final Ordering ID = new Ordering("id", false);
        private static final List<String> FIELDS = List.of("id", "name", "email", "birthDate");

        /** None: by id. Anything but a known field, with or without {@code -}: a 400. */
        public static Ordering parse(String value) {
            if (value == null) {
                return ID;
            }
            boolean descending = value.startsWith("-");
            String field = Json.camel(descending ? value.substring(1) : value);
            if (!FIELDS.contains(field)) {
                throw Errors.invalid("ordering", "ordering must be one of id, name, email, birthDate, each "
                        + "optionally preceded by - for descending order.");
            }
            return new Ordering(field, descending);
        }

        /** The ORDER BY list over a patient's alias and its account's alias. */
        String sql(String patient, String account) {
            String direction = descending ? " DESC" : "";
            String nulls = direction + " NULLS LAST, ";
            return switch (field) {
                case "name" -> "lower(" + patient + ".name_family)" + nulls + "lower(" + patient + ".name_given)"
                        + nulls + patient + ".id" + direction;
                case "email" -> "lower(" + account + ".email)" + nulls + patient + ".id" + direction;
                case "birthDate" -> patient + ".birth_date" + nulls + patient + ".id" + direction;
                default -> patient + ".id" + direction;
            };
        }
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
        if (f.search() != null) {
            // a part of a name or e-mail, its LIKE wildcards taken literally
            params.add("%" + f.search().toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%")
                    .replace("_", "\\_") + "%");
            String term = "$" + params.size();
            where.append(" AND EXISTS (SELECT 1 FROM patient ps LEFT JOIN account sa ON sa.id = ps.jhe_user_id "
                    + "WHERE ps.id = pa.patient_id AND (lower(ps.name_family) LIKE " + term
                    + " OR lower(ps.name_given) LIKE " + term
                    + " OR lower(coalesce(ps.name_given, '') || ' ' || coalesce(ps.name_family, '')) LIKE " + term
                    + " OR lower(coalesce(ps.name_family, '') || ', ' || coalesce(ps.name_given, '')) LIKE " + term
                    + " OR lower(sa.email) LIKE " + term + "))");
        }
        Ordering ordering = f.ordering() == null ? Ordering.ID : f.ordering();
        params.add(offset);
        String ids = "SELECT " + distinct + "pa.patient_id FROM patient_organization pa WHERE " + where;
        // the total as an uncorrelated sub-query (computed once): an organization's whole list is counted by the
        // triggers of organization_patient_count, any narrower list by an index-only count; the page is an index
        // range
        boolean organizationOnly = f.organizationId() != null && f.studyId() == null && f.patientId() == null
                && f.identifierValue() == null && f.search() == null;
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
        if (!ordering.equals(Ordering.ID)) {
            // another order than the ids': the matching patients sorted by the patient's (and account's) columns
            pageIds = "SELECT po.id AS patient_id FROM (" + ids + ") AS matching JOIN patient po "
                    + "ON po.id = matching.patient_id LEFT JOIN account ao ON ao.id = po.jhe_user_id ORDER BY "
                    + ordering.sql("po", "ao") + " OFFSET " + off + " LIMIT " + size;
        } else if (organizationOnly) {
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
                + "ORDER BY " + ordering.sql("p", "a") + trim;
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
            Object[] countParams = Arrays.copyOf(values, values.length - 1);
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
        if (rawIds instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                JsonObject o = array.getJsonObject(i);
                identifiers.add(new Identifier(o.getLong("id"), o.getString("system"), o.getString("value")));
            }
        }
        List<OrganizationResponse> orgs = new ArrayList<>();
        Object rawOrgs = row.getValue("organizations");
        if (rawOrgs instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                JsonObject o = array.getJsonObject(i);
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

    // ------------------------------------------------------------------------------------------------ look-ups

    /** The patients whose account has this e-mail (in any case), in id order. */
    public Uni<List<Long>> listIdsByEmail(String email) {
        return db.list("SELECT p.id FROM patient p JOIN account a ON a.id = p.jhe_user_id "
                + "WHERE lower(a.email) = lower($1) ORDER BY p.id", row -> row.getLong(0), email);
    }

    /** The patient whose account has this e-mail (in any case), or null. */
    public Uni<Long> findIdByEmail(String email) {
        return db.one("SELECT p.id FROM patient p JOIN account a ON a.id = p.jhe_user_id "
                + "WHERE lower(a.email) = lower($1)", row -> row.getLong(0), email);
    }

    /** The patient record of an account, or null, as the transaction sees it. */
    public Uni<Long> findIdByUserId(SqlClient tx, long userId) {
        return Db.one(tx, "SELECT id FROM patient WHERE jhe_user_id = $1", row -> row.getLong(0), userId);
    }

    public Uni<Boolean> isMember(long patientId, long organizationId) {
        return db.one("SELECT EXISTS (SELECT 1 FROM patient_organization WHERE patient_id = $1 "
                + "AND organization_id = $2)", row -> row.getBoolean(0), patientId, organizationId);
    }

    /**
     * The first of these identifiers ({@code system|value}) that a patient other than {@code patientId} (any patient
     * when null) has, as {@code system|value}, or null when all are free.
     */
    public Uni<String> findTakenIdentifier(List<IdentifierValue> identifiers, Long patientId) {
        String[] keys = identifiers.stream().map(i -> i.system() + "|" + i.value()).toArray(String[]::new);
        return db.one("SELECT system, value FROM patient_identifier WHERE system || '|' || value = ANY($1) "
                + "AND ($2::bigint IS NULL OR patient_id <> $2) LIMIT 1",
                row -> row.getString(0) + "|" + row.getString(1), keys, patientId);
    }

    /** The patient apps of the studies the patient is enrolled in, each with the patient's invitations to it. */
    public Uni<List<ConsolidatedClientResponse>> listConsolidatedClients(long patientId) {
        return db.list("SELECT DISTINCT c.id, c.name, c.client_id, c.invitation_url "
                + "FROM study_patient sp JOIN study_client sc ON sc.study_id = sp.study_id "
                + "JOIN oauth_client c ON c.id = sc.client_id WHERE sp.patient_id = $1 ORDER BY c.id", row -> row,
                patientId)
                .flatMap(clients -> db.list("SELECT id, client_id, token_hash, status, last_updated "
                        + "FROM patient_invitation WHERE patient_id = $1 ORDER BY last_updated DESC", row -> row,
                        patientId).map(invitations -> {
                            List<ConsolidatedClientResponse> out = new ArrayList<>(clients.size());
                            for (Row c : clients) {
                                long clientId = c.getLong("id");
                                List<ConsolidatedClientResponse.Invitation> mine = new ArrayList<>();
                                for (Row i : invitations) {
                                    if (i.getLong("client_id") == clientId) {
                                        mine.add(new ConsolidatedClientResponse.Invitation(i.getLong("id"), patientId,
                                                clientId, i.getString("token_hash"), null, i.getString("status"),
                                                i.getOffsetDateTime("last_updated")));
                                    }
                                }
                                out.add(new ConsolidatedClientResponse(clientId, c.getString("name"),
                                        c.getString("client_id"), c.getString("invitation_url"), mine));
                            }
                            return out;
                        }));
    }

    /**
     * Remembers the practitioner's current organization and study, as the original's list views did (its UI
     * restores them): only an organization the practitioner belongs to, and a study of one. Written only when they
     * change, so that repeated lists take no row lock.
     */
    public Uni<Void> rememberSelection(long practitionerId, Long organizationId, Long studyId, boolean clearStudy) {
        String expr = "settings";
        if (organizationId != null) {
            expr = "CASE WHEN EXISTS (SELECT 1 FROM practitioner_organization m WHERE m.practitioner_id = $1 "
                    + "AND m.organization_id = $2) THEN jsonb_set(" + expr
                    + ", '{currentOrganizationId}', to_jsonb($2::bigint)) ELSE " + expr + " END";
        }
        if (studyId != null) {
            expr = "CASE WHEN EXISTS (SELECT 1 FROM study s JOIN practitioner_organization m ON m.organization_id = "
                    + "s.organization_id WHERE s.id = $3 AND m.practitioner_id = $1) THEN jsonb_set(" + expr
                    + ", '{currentStudyId}', to_jsonb($3::bigint)) ELSE " + expr + " END";
        } else if (clearStudy) {
            expr = "(" + expr + " - 'currentStudyId')";
        }
        return db.query("UPDATE practitioner SET settings = " + expr + " WHERE id = $1 AND settings IS DISTINCT FROM "
                + expr + " AND ($2::bigint IS NULL OR TRUE) AND ($3::bigint IS NULL OR TRUE)", practitionerId,
                organizationId, studyId).replaceWithVoid();
    }

    // ------------------------------------------------------------------------------------------------ writes

    public Uni<Long> insert(SqlClient tx, long userId, String nameFamily, String nameGiven, LocalDate birthDate,
            String telecomPhone) {
        return Db.one(tx, "INSERT INTO patient (jhe_user_id, name_family, name_given, birth_date, telecom_phone) "
                + "VALUES ($1, $2, $3, $4, $5) RETURNING id", row -> row.getLong(0), userId, nameFamily, nameGiven,
                birthDate, telecomPhone);
    }

    /**
     * Sets the patient's fields: all of them, or ({@code partial}) those given, where null is "not given" except for
     * the birth date, which {@code birthDateGiven} tells.
     */
    public Uni<Integer> update(SqlClient tx, long id, String nameFamily, String nameGiven, LocalDate birthDate,
            boolean birthDateGiven, String telecomPhone, boolean partial) {
        return Db.update(tx, partial
                ? "UPDATE patient SET name_family = COALESCE($2, name_family), "
                        + "name_given = COALESCE($3, name_given), "
                        + "birth_date = CASE WHEN $6 THEN $4 ELSE birth_date END, "
                        + "telecom_phone = COALESCE($5, telecom_phone), last_updated = now() WHERE id = $1"
                : "UPDATE patient SET name_family = $2, name_given = $3, birth_date = $4, telecom_phone = $5, "
                        + "last_updated = now() WHERE id = $1 AND ($6 OR TRUE)",
                id, nameFamily, nameGiven, birthDate, telecomPhone, birthDateGiven);
    }

    public Uni<Void> insertIdentifiers(SqlClient tx, long patientId, List<IdentifierValue> identifiers) {
        if (identifiers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Db.update(tx, "INSERT INTO patient_identifier (patient_id, system, value) "
                + "SELECT $1, s, v FROM unnest($2::text[], $3::text[]) AS t(s, v)", patientId,
                identifiers.stream().map(IdentifierValue::system).toArray(String[]::new),
                identifiers.stream().map(IdentifierValue::value).toArray(String[]::new)).replaceWithVoid();
    }

    public Uni<Void> replaceIdentifiers(SqlClient tx, long patientId, List<IdentifierValue> identifiers) {
        return Db.update(tx, "DELETE FROM patient_identifier WHERE patient_id = $1", patientId)
                .chain(() -> insertIdentifiers(tx, patientId, identifiers));
    }

    /** Makes the patient a member of the organization: 1, or 0 when it already is one. */
    public Uni<Integer> insertMembership(SqlClient tx, long patientId, long organizationId) {
        return Db.update(tx, "INSERT INTO patient_organization (patient_id, organization_id) VALUES ($1, $2) "
                + "ON CONFLICT DO NOTHING", patientId, organizationId);
    }

    /**
     * Ends the patient's membership of the organization with its enrolments in that organization's studies (their
     * consents go with them), each enrolment announced ({@code ENROLMENT_CHANGED}) in the same transaction.
     */
    public Uni<Void> deleteMembership(SqlClient tx, long patientId, long organizationId) {
        return events.recordBulk(tx,
                "SELECT sp.patient_id, sp.study_id, s.organization_id, NULL::bigint, 'ENROLMENT_CHANGED' "
                        + "FROM study_patient sp JOIN study s ON s.id = sp.study_id "
                        + "WHERE sp.patient_id = $1 AND s.organization_id = $2", patientId, organizationId)
                .call(() -> Db.update(tx, "DELETE FROM study_patient sp USING study s WHERE s.id = sp.study_id "
                        + "AND sp.patient_id = $1 AND s.organization_id = $2", patientId, organizationId))
                .call(() -> Db.update(tx, "DELETE FROM patient_organization WHERE patient_id = $1 "
                        + "AND organization_id = $2", patientId, organizationId));
    }

    /** Whether the patient is left in no organization. */
    public Uni<Boolean> isInNoOrganization(SqlClient tx, long patientId) {
        return Db.one(tx, "SELECT NOT EXISTS (SELECT 1 FROM patient_organization WHERE patient_id = $1)",
                row -> row.getBoolean(0), patientId);
    }

    /** Deletes the patient: its account's id, 0 when it had none. */
    public Uni<Long> delete(SqlClient tx, long patientId) {
        return Db.one(tx, "DELETE FROM patient WHERE id = $1 RETURNING COALESCE(jhe_user_id, 0)",
                row -> row.getLong(0), patientId);
    }

    /** Whether the account is also an administrator's or a practitioner's, and so outlives its patient record. */
    public Uni<Boolean> isAccountInOtherUse(SqlClient tx, long userId) {
        return Db.one(tx, "SELECT (SELECT is_superuser FROM account WHERE id = $1) IS TRUE "
                + "OR EXISTS (SELECT 1 FROM practitioner WHERE jhe_user_id = $1)", row -> row.getBoolean(0), userId);
    }
}
