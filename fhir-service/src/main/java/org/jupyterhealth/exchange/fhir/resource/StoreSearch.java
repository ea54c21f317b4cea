package org.jupyterhealth.exchange.fhir.resource;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.hl7.fhir.r5.model.Enumerations.SearchParamType;
import org.jupyterhealth.exchange.common.fhir.ResourceStore;
import org.jupyterhealth.exchange.fhir.search.DateRange;
import org.jupyterhealth.exchange.fhir.search.PageCursor;
import org.jupyterhealth.exchange.fhir.search.SearchParameters;
import org.jupyterhealth.exchange.fhir.search.SearchRequest;
import org.jupyterhealth.exchange.fhir.search.SqlBuilder;
import org.jupyterhealth.exchange.fhir.search.TokenValue;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;

/**
 * A search of the FHIR resource store, parsed (docs/compatibility.md#fhir-resource-store): the access filters
 * (patient, study, organization), the source, and the conditions on the extracted search values, written as SQL
 * over the patients the caller may read. Pages are read by keyset, one patient at a time from its ordered index.
 */
final class StoreSearch {
    /** The orders of {@code _sort}: by time of last update (the default, newest first) or clinical date. */
    enum Order {
        UPDATED_DESC("r.last_updated DESC, r.id DESC", "r.last_updated, r.id"),
        UPDATED_ASC("r.last_updated, r.id", "r.last_updated DESC, r.id DESC"),
        DATE_DESC("r.clinical_date DESC NULLS LAST, r.id DESC", "r.clinical_date NULLS FIRST, r.id"),
        DATE_ASC("r.clinical_date NULLS LAST, r.id", "r.clinical_date DESC NULLS FIRST, r.id DESC");

        final String orderBy;
        /** The same order read backwards (a previous page, read from its anchor towards the first page). */
        final String reversed;

        Order(String orderBy, String reversed) {
            this.orderBy = orderBy;
            this.reversed = reversed;
        }

        boolean byDate() {
            return this == DATE_DESC || this == DATE_ASC;
        }

        boolean descending() {
            return this == UPDATED_DESC || this == DATE_DESC;
        }
    }

    final String type;
    final List<List<Long>> patients = new ArrayList<>();
    final List<List<Long>> studies = new ArrayList<>();
    final List<List<Long>> organizations = new ArrayList<>();
    /** True when the search can match nothing in the store (another source, ids of another shape). */
    boolean nothing;
    Long sourceId;
    final List<List<UUID>> ids = new ArrayList<>();
    final List<List<DateRange>> lastUpdated;
    final List<List<DateRange>> dates = new ArrayList<>();
    final List<List<String>> statuses;
    /** Token, reference and string conditions: (parameter, OR-ed values) each. */
    final List<Map.Entry<String, List<String>>> tokens = new ArrayList<>();
    /** Conditions on date values kept in the token table (Condition's onset-date, ...): (parameter, OR-ed ranges). */
    final List<Map.Entry<String, List<DateRange>>> dateTokens = new ArrayList<>();
    final Order order;
    final int count;
    final boolean summaryCount;
    final boolean totalNeeded;
    final Optional<PageCursor> cursor;

    private StoreSearch(SearchRequest search) {
        this.type = search.type();
        // a mapped type's resources in the store are searched by the store's parameters, not by its records' ones
        Map<String, SearchParamType> known = SearchParameters.ofStore(type);
        for (String name : List.of("patient", "subject")) {
            search.orLists(name).forEach(values -> patients.add(values.stream()
                    .map(v -> SearchRequest.idOf(name, v, "Patient")).toList()));
        }
        for (String name : List.of(SearchParameters.PATIENT_HAS_GROUP, SearchParameters.HAS_GROUP)) {
            search.orLists(name).forEach(values -> studies.add(values.stream()
                    .map(v -> SearchRequest.idOf(name, v, "Group")).toList()));
        }
        search.orLists("patient.organization").forEach(values -> organizations.add(values.stream()
                .map(v -> SearchRequest.idOf("patient.organization", v, "Organization")).toList()));
        source(search);
        for (List<String> values : search.orLists("_id")) {
            List<UUID> uuids = values.stream().filter(ResourceStore::isStoreId).map(UUID::fromString).toList();
            if (uuids.isEmpty()) {
                nothing = true;
            }
            ids.add(uuids);
        }
        lastUpdated = search.dates("_lastUpdated");
        for (String name : List.of("date", "authored")) {
            if (known.containsKey(name)) {
                dates.addAll(search.dates(name));
            }
        }
        statuses = known.containsKey("status") ? search.orLists("status") : List.of();
        for (String name : List.of("code", "category", "identifier", "questionnaire", "name", "clinical-status",
                "encounter")) {
            if (known.containsKey(name)) {
                search.orLists(name).forEach(values -> tokens.add(Map.entry(name, checked(name, values))));
            }
        }
        for (String name : StoreSearchParameters.CONDITION_DATES) {
            if (known.containsKey(name)) {
                search.dates(name).forEach(ranges -> dateTokens.add(Map.entry(name, ranges)));
            }
        }
        Optional<SearchRequest.Sort> sort = search.sort(List.of("_lastUpdated", "date"));
        order = sort.map(s -> s.key().equals("date")
                ? (s.descending() ? Order.DATE_DESC : Order.DATE_ASC)
                : (s.descending() ? Order.UPDATED_DESC : Order.UPDATED_ASC)).orElse(Order.UPDATED_DESC);
        count = search.count();
        summaryCount = search.summaryCount();
        totalNeeded = !search.totalNotNeeded();
        cursor = search.cursor();
        search.page();
    }

    static StoreSearch from(SearchRequest search) {
        return new StoreSearch(search);
    }

    /** The codes of Condition's and AllergyIntolerance's clinical status (required value sets). */
    private static final Map<String, List<String>> CLINICAL_STATUSES = Map.of(
            "Condition", List.of("active", "recurrence", "relapse", "inactive", "remission", "resolved", "unknown"),
            "AllergyIntolerance", List.of("active", "inactive", "resolved"));
    /** A FHIR id, the end of a reference. */
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    /**
     * Values of a token or reference parameter that can name nothing are refused (400 naming the parameter) rather
     * than found empty: a clinical status outside its required value set, an encounter that is not an Encounter's id
     * or reference.
     */
    private List<String> checked(String name, List<String> values) {
        for (String value : values) {
            if (name.equals("clinical-status")) {
                TokenValue token = TokenValue.parse(value);
                List<String> codes = CLINICAL_STATUSES.getOrDefault(type, List.of());
                if (!token.code().isEmpty() && !codes.isEmpty() && !codes.contains(token.code())) {
                    throw new InvalidRequestException("Invalid value for clinical-status: '"
                            + abbreviate(value) + "'. Expected one of " + String.join(", ", codes) + ".");
                }
            } else if (name.equals("encounter") && encounterOf(value) == null) {
                throw new InvalidRequestException("Invalid value for encounter: '" + abbreviate(value)
                        + "'. Expected an Encounter id or reference.");
            }
        }
        return values;
    }

    /** {@code Encounter/<id>} of an encounter parameter's value (an id, a relative or absolute reference); or null. */
    private static String encounterOf(String value) {
        String[] parts = value.split("/", -1);
        String id = parts[parts.length - 1];
        if (!ID.matcher(id).matches() || parts.length > 1 && !parts[parts.length - 2].equals("Encounter")) {
            return null;
        }
        return "Encounter/" + id;
    }

    private static String abbreviate(String raw) {
        return raw.length() > 64 ? raw.substring(0, 64) + "…" : raw;
    }

    /** {@code _source} and {@code _source:below}: one source, all of the store, or another store (nothing). */
    private void source(SearchRequest search) {
        for (String value : search.occurrences("_source")) {
            Long id = value.startsWith(ResourceStore.SOURCE_PREFIX) ? ResourceStore.sourceId(value) : null;
            narrowTo(id);
        }
        for (String value : search.occurrences("_source:below")) {
            if (value.equals(SOURCES) || value.equals(ResourceStore.SOURCE_PREFIX)) {
                continue; // every source: all of the store
            }
            // below one source's URL is that source alone (its URL has nothing under it)
            String one = value.endsWith("/") ? value.substring(0, value.length() - 1) : value;
            narrowTo(one.startsWith(ResourceStore.SOURCE_PREFIX) ? ResourceStore.sourceId(one) : null);
        }
    }

    private void narrowTo(Long id) {
        if (id == null || (sourceId != null && !sourceId.equals(id))) {
            nothing = true;
        } else {
            sourceId = id;
        }
    }

    /** The URL every FHIR source's is below. */
    private static final String SOURCES = ResourceStore.SOURCE_PREFIX.substring(0,
            ResourceStore.SOURCE_PREFIX.length() - 1);

    /**
     * Whether a search of a type that has a store of its own (Observation) is for the resource store's resources
     * instead: its {@code _source} names a FHIR source, or its {@code _source:below} is below the FHIR sources' URL.
     */
    static boolean choosesStore(SearchRequest search) {
        return search.namesFhirSources();
    }

    /**
     * The page statement: each readable patient's rows from its ordered index, merged, one row more than asked; for a
     * previous page ({@code anchor} not forward) the rows before the anchor, nearest first (the caller turns them).
     */
    SqlBuilder page(Long[] readable, int limit, PageCursor anchor, OffsetDateTime snapshot) {
        SqlBuilder sql = new SqlBuilder();
        String patients = sql.bind(readable);
        sql.append(pageSql(sql, patients, limit, anchor, snapshot));
        return sql;
    }

    SqlBuilder count(Long[] readable) {
        SqlBuilder sql = new SqlBuilder();
        String patients = sql.bind(readable);
        sql.append(countSql(sql, patients));
        return sql;
    }

    /**
     * The first page and its total in one statement (one round trip and one connection of the pool, as Observation's
     * first page): the count is one row, which the page joins, so that an empty page still brings the total; its
     * rows have the columns of {@link StoreRepository#COLUMNS} and the total last.
     */
    SqlBuilder pageAndCount(Long[] readable, int limit, OffsetDateTime snapshot) {
        SqlBuilder sql = new SqlBuilder();
        String patients = sql.bind(readable);
        String counted = countSql(sql, patients);
        String paged = pageSql(sql, patients, limit, null, snapshot);
        sql.append("SELECT paged.*, counted.total FROM (" + counted + ") counted(total) LEFT JOIN (" + paged
                + ") paged ON TRUE ORDER BY " + order.orderBy.replace("r.", "paged."));
        return sql;
    }

    private String pageSql(SqlBuilder sql, String patients, int limit, PageCursor anchor, OffsetDateTime snapshot) {
        StringBuilder inner = new StringBuilder("SELECT " + StoreRepository.COLUMNS
                + " FROM ingest.fhir_resource r WHERE r.patient_id = p.pid AND ");
        inner.append(conditions(sql, snapshot));
        if (anchor != null) {
            inner.append(" AND ").append(after(sql, anchor));
        }
        // the page size as a literal (a handful of values, so a connection keeps a handful of these statements
        // prepared): a generic plan with a bound LIMIT assumes a tenth of the rows and may sort them all rather than
        // read the patient's ordered index for the first rows
        String size = Integer.toString(limit);
        String orderBy = anchor == null || anchor.forward() ? order.orderBy : order.reversed;
        inner.append(" ORDER BY ").append(orderBy).append(" LIMIT ").append(size);
        return "SELECT r.* FROM unnest(" + patients + "::bigint[]) AS p(pid) CROSS JOIN LATERAL (" + inner + ") r "
                + "ORDER BY " + orderBy + " LIMIT " + size;
    }

    private String countSql(SqlBuilder sql, String patients) {
        if (counted()) {
            // one lookup of a counter per patient (and status): a join would build hash tables on every execution
            String type = sql.bind(this.type);
            if (statuses.isEmpty()) {
                return "SELECT COALESCE(sum((SELECT sum(c.resources) FROM ingest.fhir_resource_count c "
                        + "WHERE c.patient_id = p.pid AND c.resource_type = " + type + ")), 0)::bigint FROM unnest("
                        + patients + "::bigint[]) AS p(pid)";
            }
            String wanted = sql.bind(statuses.get(0).stream().distinct().toArray(String[]::new));
            return "SELECT COALESCE(sum((SELECT c.resources FROM ingest.fhir_resource_count c "
                    + "WHERE c.patient_id = p.pid AND c.resource_type = " + type + " AND c.status = s.status)), "
                    + "0)::bigint FROM unnest(" + patients + "::bigint[]) AS p(pid) CROSS JOIN unnest(" + wanted
                    + "::text[]) AS s(status)";
        }
        return "SELECT count(*) FROM ingest.fhir_resource r WHERE r.patient_id = ANY(" + patients + "::bigint[]) AND "
                + conditions(sql, null);
    }

    /**
     * Whether the total is the sum of ingest-service's counters per patient, type and status: the search has no row
     * condition but one list of statuses (the counters keep a resource without status under '', which no status
     * search matches).
     */
    private boolean counted() {
        return sourceId == null && ids.isEmpty() && lastUpdated.isEmpty() && dates.isEmpty() && tokens.isEmpty()
                && dateTokens.isEmpty()
                && (statuses.isEmpty() || statuses.size() == 1 && statuses.get(0).stream().noneMatch(String::isEmpty));
    }

    private String conditions(SqlBuilder sql, OffsetDateTime snapshot) {
        List<String> where = new ArrayList<>();
        where.add("r.resource_type = " + sql.bind(type));
        if (snapshot != null) {
            where.add("r.last_updated <= " + sql.bind(snapshot));
        }
        if (sourceId != null) {
            where.add("r.fhir_source_id = " + sql.bind(sourceId));
        }
        for (List<UUID> anyOf : ids) {
            where.add("r.id = ANY(" + sql.bind(anyOf.toArray(UUID[]::new)) + "::uuid[])");
        }
        for (List<DateRange> anyOf : lastUpdated) {
            where.add("(" + String.join(" OR ", anyOf.stream().map(d -> d.toSql("r.last_updated", sql)).toList())
                    + ")");
        }
        for (List<DateRange> anyOf : dates) {
            where.add("(" + String.join(" OR ", anyOf.stream().map(d -> d.toSql("r.clinical_date", sql)).toList())
                    + ")");
        }
        for (List<String> anyOf : statuses) {
            where.add("r.status = ANY(" + sql.bind(anyOf.toArray(String[]::new)) + "::text[])");
        }
        for (Map.Entry<String, List<String>> condition : tokens) {
            List<String> matches = new ArrayList<>();
            for (String value : condition.getValue()) {
                matches.add(tokenMatch(sql, condition.getKey(), value));
            }
            where.add("EXISTS (SELECT 1 FROM ingest.fhir_resource_token t WHERE t.resource_id = r.id AND t.name = "
                    + sql.bind(condition.getKey()) + " AND (" + String.join(" OR ", matches) + "))");
        }
        for (Map.Entry<String, List<DateRange>> condition : dateTokens) {
            // the values are UTC instants at a fixed width (ingest-service's SearchValues.DATE_TOKEN): comparing the
            // texts compares the instants
            String ranges = String.join(" OR ", condition.getValue().stream()
                    .map(d -> d.toSql("t.value", sql, StoreSearch::dateToken)).toList());
            where.add("EXISTS (SELECT 1 FROM ingest.fhir_resource_token t WHERE t.resource_id = r.id AND t.name = "
                    + sql.bind(condition.getKey()) + " AND (" + ranges + "))");
        }
        return String.join(" AND ", where);
    }

    /** The form of a date value in the token table: ingest-service's SearchValues.DATE_TOKEN. */
    private static final DateTimeFormatter DATE_TOKEN = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    static Object dateToken(OffsetDateTime instant) {
        // a bound past the last representable instant (year 9999's end) is above every value
        return instant.getYear() > 9999 ? "99999" : DATE_TOKEN.format(instant);
    }

    private static String tokenMatch(SqlBuilder sql, String name, String raw) {
        if (name.equals("encounter")) {
            // the reference as written: relative, or absolute ending in the same Encounter/<id>
            String relative = encounterOf(raw);
            String escaped = relative.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
            return "(t.value = " + sql.bind(relative) + " OR t.value LIKE " + sql.bind("%/" + escaped) + ")";
        }
        if (name.equals("name")) {
            String prefix = raw.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
            return "t.value LIKE " + sql.bind(prefix + "%");
        }
        if (name.equals("questionnaire")) {
            return "t.value = " + sql.bind(raw);
        }
        TokenValue token = TokenValue.parse(raw);
        if (token.code().isEmpty()) {
            return token.system() == null ? "FALSE" : "t.system = " + sql.bind(token.system());
        }
        String value = "t.value = " + sql.bind(token.code());
        return token.system() == null ? value : "(" + value + " AND t.system = " + sql.bind(token.system()) + ")";
    }

    /**
     * The rows after the anchor in this order (nulls last in both directions for the clinical date), or, for a
     * previous page, the rows before it.
     */
    private String after(SqlBuilder sql, PageCursor anchor) {
        String[] key = anchor.key().split("\\|", 2);
        if (key.length != 2 || !ResourceStore.isStoreId(key[1]) || !key[0].matches("|-?\\d{1,18}")) {
            throw new InvalidRequestException("Invalid value for _cursor: use the next and previous links as given.");
        }
        String id = sql.bind(UUID.fromString(key[1]));
        String column = order.byDate() ? "r.clinical_date" : "r.last_updated";
        if (!anchor.forward()) {
            String comparison = order.descending() ? ">" : "<";
            if (key[0].isEmpty()) {
                // before a row without a date: every dated row, and the undated ones before it
                return "(" + column + " IS NOT NULL OR r.id " + comparison + " " + id + ")";
            }
            String value = sql.bind(StoreService.fromMicros(Long.parseLong(key[0])));
            return "(" + column + ", r.id) " + comparison + " (" + value + ", " + id + ")";
        }
        String comparison = order.descending() ? "<" : ">";
        if (key[0].isEmpty()) {
            return "(" + column + " IS NULL AND r.id " + comparison + " " + id + ")";
        }
        String value = sql.bind(StoreService.fromMicros(Long.parseLong(key[0])));
        String keyset = "(" + column + ", r.id) " + comparison + " (" + value + ", " + id + ")";
        return order.byDate() ? "(" + keyset + " OR r.clinical_date IS NULL)" : keyset;
    }

    /** The cursor key of a row in this order. */
    String keyOf(StoredResource row) {
        OffsetDateTime value = order.byDate() ? row.clinicalDate() : row.lastUpdated();
        return (value == null ? "" : Long.toString(StoreService.micros(value))) + "|" + row.id();
    }
}
