package org.jupyterhealth.exchange.fhir.observation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.fhir.access.ObservationGrants;
import org.jupyterhealth.exchange.fhir.directory.Records.Identifier;
import org.jupyterhealth.exchange.fhir.search.ChunkedRead;
import org.jupyterhealth.exchange.fhir.search.DateRange;
import org.jupyterhealth.exchange.fhir.search.SqlBuilder;
import org.jupyterhealth.exchange.fhir.search.TokenValue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads ingest-service's observation store (schema {@code ingest}, through the read-only role). Access arrives as
 * grants (patients and their readable codes) and is part of every statement. Pages are read by keyset: each
 * patient's rows come from the index in order, so a page costs the same at any depth.
 */
@ApplicationScoped
public class ObservationRepository {
    /** A stored observation's columns, in the order {@link #rows} reads them (then its identifiers). */
    private static final String COLUMNS = "o.id, o.subject_patient_id, o.codeable_concept_id, o.coding_system, o.coding_code, "
            + "o.data_source_id, o.status, o.omh_data::text AS omh, o.effective_date_time, o.effective_period_start, "
            + "o.effective_period_end, o.effective_at, o.last_updated";
    private static final String GRANTS = "WITH gp(pid, grp) AS (SELECT * FROM unnest(%s::bigint[], %s::int[])), "
            + "gc(grp, sys, code) AS (SELECT * FROM unnest(%s::int[], %s::text[], %s::text[])) ";
    /** Every granted (patient, system, code): a patient's group joined with the group's codes (each pair once). */
    private static final String GRANTED_PAIRS = "gp JOIN gc ON gc.grp = gp.grp";
    /**
     * Whether a row's code is granted, for pages: kept a per-row filter ({@code OFFSET 0} stops PostgreSQL from
     * turning it into a join). The planner cannot estimate the granted codes, and as a join it may read every row
     * of each code and sort them (10 ms at half depth of 10,000 rows) instead of reading the patient's rows from
     * the ordered index until the page is full (0.1 ms at any depth).
     */
    private static final String GRANTED_FILTER = "EXISTS (SELECT 1 FROM gc WHERE gc.grp = gp.grp "
            + "AND gc.sys = o.coding_system AND gc.code = o.coding_code OFFSET 0)";

    private static final JsonFactory IDENTIFIERS = new JsonFactory();

    private final Pool pool;
    /** Bulk reads' own connections ({@code quarkus.datasource."export"}), never the interactive pool's. */
    private final Pool exportPool;

    public ObservationRepository(Pool pool, @ReactiveDataSource("export") Pool exportPool) {
        this.pool = pool;
        this.exportPool = exportPool;
    }

    /** A page request: the anchor to resume after (null for the first page), or an offset (legacy {@code _page}). */
    public record Page(ObservationOrder order, int limit, boolean backwards, String anchorKey, Long anchorId,
            long offset, OffsetDateTime snapshot) {
    }

    /** One page of the granted rows matching the filter, in the page's order (backwards pages come reversed). */
    public Uni<List<StoredObservation>> findPage(ObservationGrants grants, ObservationFilter filter, Page page) {
        if (grants.isEmpty() || page.limit() <= 0) {
            return Uni.createFrom().item(List.of());
        }
        SqlBuilder sql = pageStatement(grants, filter, page);
        return pool.preparedQuery(sql.sql()).execute(sql.tuple()).map(ObservationRepository::rows);
    }

    /** The statement {@link #findPage} runs, with its parameters. */
    static SqlBuilder pageStatement(ObservationGrants grants, ObservationFilter filter, Page page) {
        SqlBuilder sql = grantsCte(grants);
        sql.append(pageQuery(filter, page, sql));
        return sql;
    }

    /** A page and the total of its search (null when it was not counted). */
    public record Counted(Long total, List<StoredObservation> rows) {
    }

    /** {@link #findPage} and {@link #count} in one round trip: the first page of a search, which shows its total. */
    public Uni<Counted> findPageAndCount(ObservationGrants grants, ObservationFilter filter, Page page) {
        if (grants.isEmpty()) {
            return Uni.createFrom().item(new Counted(0L, List.of()));
        }
        if (page.limit() <= 0) {
            return count(grants, filter, page.snapshot()).map(total -> new Counted(total, List.of()));
        }
        SqlBuilder sql = grantsCte(grants);
        String counted = countQuery(filter, page.snapshot(), sql);
        String paged = pageQuery(filter, page, sql);
        // the count is one row; the page joins it, so that an empty page still brings the total
        sql.append(", counted(total) AS (" + counted + ") SELECT paged.*, counted.total FROM counted LEFT JOIN ("
                + paged + ") paged ON TRUE ORDER BY " + page.order().orderBy(page.backwards()).replace("o.", "paged."));
        return pool.preparedQuery(sql.sql()).execute(sql.tuple()).map(rows -> {
            Row first = rows.iterator().next();
            return new Counted(first.getLong("total"), rows(rows));
        });
    }

    private static String pageQuery(ObservationFilter filter, Page page, SqlBuilder sql) {
        String conditions = conditions(filter, page.snapshot(), sql);
        String keyset = "";
        if (page.anchorId() != null) {
            boolean nullValue = page.anchorKey() == null || page.anchorKey().isEmpty();
            String value = nullValue ? null : sql.bind(fromMicros(Long.parseLong(page.anchorKey())));
            keyset = " AND " + page.order().after(value, sql.bind(page.anchorId()), nullValue, page.backwards());
        }
        String orderBy = page.order().orderBy(page.backwards());
        // cursor pages (offset 0) carry their sizes as literals, a handful of values, so a connection keeps a
        // handful of these statements prepared; legacy _page offsets stay parameters
        boolean literal = page.offset() == 0;
        String perPatient = literal ? Long.toString(page.limit()) : sql.bind(page.offset() + page.limit());
        String limit = literal ? Integer.toString(page.limit()) : sql.bind(page.limit());
        String offset = literal ? "0" : sql.bind(page.offset());
        return "SELECT p.*, (SELECT json_agg(json_build_array(i.system, i.value) ORDER BY i.system, i.value) "
                + "FROM ingest.observation_identifier i WHERE i.observation_id = p.id)::text AS identifiers FROM ("
                + "SELECT o.* FROM gp CROSS JOIN LATERAL (SELECT " + COLUMNS + " FROM ingest.observation o "
                + "WHERE o.subject_patient_id = gp.pid AND " + GRANTED_FILTER + conditions + keyset
                + " ORDER BY " + orderBy + " LIMIT " + perPatient + ") o ORDER BY " + orderBy
                + " LIMIT " + limit + " OFFSET " + offset + ") p ORDER BY " + orderBy.replace("o.", "p.");
    }

    /** How many granted rows match the filter. */
    public Uni<Long> count(ObservationGrants grants, ObservationFilter filter, OffsetDateTime snapshot) {
        if (grants.isEmpty()) {
            return Uni.createFrom().item(0L);
        }
        SqlBuilder sql = grantsCte(grants);
        sql.append(countQuery(filter, snapshot, sql));
        return pool.preparedQuery(sql.sql()).execute(sql.tuple()).map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * The count. Without row conditions it adds up the counters ingest-service keeps per patient and code (rows
     * stored after the page's snapshot, within the same instant, may be counted). With conditions it counts each
     * granted (patient, code) pair's rows in a sub-query of its own ({@code OFFSET 0} keeps it one), so that even
     * a plan made without the values (plans are cached) reads them from the (patient, code, last_updated) index,
     * never by a hash join over the whole store.
     */
    private static String countQuery(ObservationFilter filter, OffsetDateTime snapshot, SqlBuilder sql) {
        if (filter.equals(ObservationFilter.none())) {
            // one lookup of the counter's key per granted pair: a join builds hash tables on every execution (a
            // fifth of PostgreSQL's time for a first page)
            return "SELECT COALESCE(sum((SELECT c.observations FROM ingest.observation_count c "
                    + "WHERE c.subject_patient_id = gp.pid AND c.coding_system = gc.sys AND c.coding_code = gc.code)), "
                    + "0)::bigint FROM " + GRANTED_PAIRS;
        }
        String conditions = conditions(filter, snapshot, sql);
        return "SELECT count(*) FROM " + GRANTED_PAIRS + " CROSS JOIN LATERAL (SELECT 1 FROM ingest.observation o "
                + "WHERE o.subject_patient_id = gp.pid AND o.coding_system = gc.sys AND o.coding_code = gc.code"
                + conditions + " OFFSET 0) counted";
    }

    /**
     * Every granted row last updated within {@code (since, until)} and at or before the snapshot, handed to the sink
     * a chunk at a time from one cursor (bulk export). Each granted patient's rows come from its own index range.
     * Returns how many rows were read.
     */
    public Uni<Long> stream(ObservationGrants grants, OffsetDateTime since, OffsetDateTime until,
            OffsetDateTime snapshot, ChunkedRead.Fetch fetch, Function<List<StoredObservation>, Uni<Void>> sink) {
        if (grants.isEmpty()) {
            return Uni.createFrom().item(0L);
        }
        SqlBuilder sql = grantsCte(grants);
        StringBuilder where = new StringBuilder(" AND o.last_updated <= " + sql.bind(snapshot));
        if (since != null) {
            where.append(" AND o.last_updated > ").append(sql.bind(since));
        }
        if (until != null) {
            where.append(" AND o.last_updated < ").append(sql.bind(until));
        }
        // the identifiers unordered, put in order by rows(): an ORDER BY in the aggregate has PostgreSQL begin a
        // sort for every row, even one without identifiers, and took a fifth of the statement's time
        sql.append("SELECT p.*, (SELECT json_agg(json_build_array(i.system, i.value)) "
                + "FROM ingest.observation_identifier i WHERE i.observation_id = p.id)::text AS identifiers FROM ("
                + "SELECT o.* FROM gp CROSS JOIN LATERAL (SELECT " + COLUMNS + " FROM ingest.observation o "
                + "WHERE o.subject_patient_id = gp.pid AND " + GRANTED_FILTER + where + ") o) p");
        return ChunkedRead.read(exportPool, sql, fetch, ObservationRepository::rows, sink);
    }

    /**
     * The granted rows of the filter with a clinical time in [{@code from}, {@code to}), reduced in PostgreSQL to
     * {@code buckets} equal time buckets: per bucket and quantity of the Open mHealth body (a number, or an object
     * with a numeric {@code value} and its {@code unit}), the count, least, greatest and mean value, and per bucket
     * the observations and their mean time. Only a few thousand rows leave the database whatever the range holds,
     * instead of every observation as a FHIR resource (a month of 100,000 heart rates was 100 pages of 1000
     * resources, written as JSON, sent and parsed again by the console). Numbers beyond ±1e300 (not plottable as
     * doubles) are left out.
     *
     * <p>The quantities come from {@code ingest.observation_point}, which ingest-service fills when an observation
     * is written (one row per observation and quantity, as doubles): each granted (patient, code) pair's rows of the
     * range are one range of its index, with no JSON read per row. The search's other conditions (status, device,
     * identifier, ...) are asked of the observation's own row. A bucket's time is the mean time of its rows (an
     * observation counts once per quantity); its observations are counted by their one {@code first_quantity} row
     * each. Each (bucket, quantity) is one group of a hash aggregate, and the buckets' own rows add up those groups,
     * instead of a count of distinct ids over grouping sets, which sorted every row.
     */
    public Uni<List<ObservationSeriesRow>> series(ObservationGrants grants, ObservationFilter filter,
            OffsetDateTime from, OffsetDateTime to, int buckets) {
        if (grants.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        SqlBuilder sql = grantsCte(grants);
        StringBuilder where = new StringBuilder(" AND p.effective_at >= " + sql.bind(from) + " AND p.effective_at < "
                + sql.bind(to));
        for (List<DateRange> ranges : filter.dates()) {
            where.append(" AND (").append(String.join(" OR ", ranges.stream()
                    .map(r -> r.toSql("p.effective_at", sql)).toList())).append(")");
        }
        ObservationFilter others = new ObservationFilter(filter.ids(), filter.identifiers(), List.of(),
                filter.lastUpdated(), filter.devices(), filter.statuses());
        if (!others.equals(ObservationFilter.none())) {
            where.append(" AND EXISTS (SELECT 1 FROM ingest.observation o WHERE o.id = p.observation_id")
                    .append(conditions(others, null, sql)).append(")");
        }
        String low = sql.bind(micros(from) / 1e6);
        String high = sql.bind(micros(to) / 1e6);
        String count = sql.bind(buckets);
        // date_part's epoch is the double nearest to the exact seconds, as extract(epoch)::float8 is, without a
        // numeric per row
        sql.append(", points AS (SELECT p.name, p.unit, p.value, p.first_quantity, "
                + "date_part('epoch', p.effective_at) AS at FROM " + GRANTED_PAIRS + " CROSS JOIN LATERAL ("
                + "SELECT p.name, p.unit, p.value, p.first_quantity, p.effective_at FROM ingest.observation_point p "
                + "WHERE p.subject_patient_id = gp.pid AND p.coding_system = gc.sys AND p.coding_code = gc.code"
                + where + " OFFSET 0) p), "
                + "grouped AS (SELECT width_bucket(at, " + low + ", " + high + ", " + count + ") AS bucket, name, "
                + "min(unit) AS unit, count(*) AS n, count(*) FILTER (WHERE first_quantity) AS observations, "
                + "min(value) AS least, max(value) AS greatest, avg(value) AS mean, sum(value) AS total, "
                + "sum(at) AS seconds FROM points GROUP BY 1, 2) "
                + "SELECT bucket, name, unit, n, least, greatest, mean, seconds / n::float8 FROM grouped UNION ALL "
                + "SELECT bucket, NULL, NULL, sum(observations)::bigint, min(least), max(greatest), "
                + "sum(total) / sum(n)::float8, sum(seconds) / sum(n)::float8 FROM grouped GROUP BY bucket "
                + "ORDER BY 1, 2 NULLS FIRST");
        // the groups are hashed, never sorted: without statistics (and with the generic plans of fhir-service's
        // connections) PostgreSQL expects a handful of rows and sorts them, and a sort of 100,000 rows spilled to
        // disk was a third of the statement's time; a plan is made under the setting it was first executed with
        return pool.withTransaction(tx -> tx.query("SET TRANSACTION READ ONLY; SET LOCAL enable_sort = off").execute()
                .chain(() -> tx.preparedQuery(sql.sql()).execute(sql.tuple()))).map(rows -> {
            List<ObservationSeriesRow> list = new ArrayList<>(rows.size());
            for (Row row : rows) {
                list.add(new ObservationSeriesRow(row.getInteger(0), row.getString(1), row.getString(2),
                        row.getLong(3), row.getDouble(4), row.getDouble(5), row.getDouble(6), row.getDouble(7)));
            }
            return list;
        });
    }

    /** One row by id, whoever may see it (the caller checks access). */
    public Uni<StoredObservation> findById(long id) {
        return pool.preparedQuery(byIds("o.id = $1"))
                .execute(Tuple.of(id))
                .map(rows -> {
                    List<StoredObservation> found = rows(rows);
                    return found.isEmpty() ? null : found.get(0);
                });
    }

    /** The rows of these ids that exist, in one statement, whoever may see them (the caller checks access). */
    public Uni<List<StoredObservation>> findByIds(List<Long> ids) {
        return pool.preparedQuery(byIds("o.id = ANY($1::bigint[])"))
                .execute(Tuple.of(ids.toArray(Long[]::new)))
                .map(ObservationRepository::rows);
    }

    private static String byIds(String condition) {
        return "SELECT p.*, (SELECT json_agg(json_build_array(i.system, i.value) "
                + "ORDER BY i.system, i.value) FROM ingest.observation_identifier i WHERE i.observation_id = p.id)::text "
                + "AS identifiers FROM (SELECT " + COLUMNS + " FROM ingest.observation o WHERE " + condition + ") p";
    }

    private static SqlBuilder grantsCte(ObservationGrants grants) {
        ObservationGrants.Flat flat = grants.flatten();
        SqlBuilder sql = new SqlBuilder();
        sql.append(String.format(GRANTS, sql.bind(flat.patients()), sql.bind(flat.patientSets()),
                sql.bind(flat.codeSets()), sql.bind(flat.systems()), sql.bind(flat.codes())));
        return sql;
    }

    private static String conditions(ObservationFilter filter, OffsetDateTime snapshot, SqlBuilder sql) {
        StringBuilder where = new StringBuilder();
        if (snapshot != null) {
            where.append(" AND o.last_updated <= ").append(sql.bind(snapshot));
        }
        for (List<Long> ids : filter.ids()) {
            where.append(" AND o.id = ANY(").append(sql.bind(ids.toArray(Long[]::new))).append("::bigint[])");
        }
        for (List<Long> devices : filter.devices()) {
            where.append(" AND o.data_source_id = ANY(").append(sql.bind(devices.toArray(Long[]::new)))
                    .append("::bigint[])");
        }
        for (List<String> statuses : filter.statuses()) {
            where.append(" AND o.status = ANY(").append(sql.bind(statuses.toArray(String[]::new)))
                    .append("::text[])");
        }
        for (List<DateRange> ranges : filter.dates()) {
            where.append(" AND (").append(String.join(" OR ", ranges.stream()
                    .map(r -> r.toSql("o.effective_at", sql)).toList())).append(")");
        }
        for (List<DateRange> ranges : filter.lastUpdated()) {
            where.append(" AND (").append(String.join(" OR ", ranges.stream()
                    .map(r -> r.toSql("o.last_updated", sql)).toList())).append(")");
        }
        for (List<TokenValue> tokens : filter.identifiers()) {
            List<String> any = new ArrayList<>();
            for (TokenValue token : tokens) {
                if (token.system() == null) {
                    any.add("i.value = " + sql.bind(token.code()));
                } else if (token.system().isEmpty()) {
                    any.add("FALSE"); // identifiers always have a system here
                } else if (token.code().isEmpty()) {
                    any.add("i.system = " + sql.bind(token.system()));
                } else {
                    any.add("(i.system = " + sql.bind(token.system()) + " AND i.value = " + sql.bind(token.code())
                            + ")");
                }
            }
            where.append(" AND EXISTS (SELECT 1 FROM ingest.observation_identifier i WHERE i.observation_id = o.id AND (")
                    .append(String.join(" OR ", any)).append("))");
        }
        return where.toString();
    }

    /**
     * The rows of {@link #COLUMNS} and the identifiers, read by position (a lookup by name searches the column
     * names for every value).
     */
    private static List<StoredObservation> rows(RowSet<Row> rows) {
        List<StoredObservation> list = new ArrayList<>(rows.size());
        for (Row row : rows) {
            if (row.getValue(0) == null) {
                continue; // the total's row of an empty page
            }
            list.add(new StoredObservation(row.getLong(0), row.getLong(1), row.getLong(2), row.getString(3),
                    row.getString(4), row.getLong(5), row.getString(6), row.getString(7), row.getOffsetDateTime(8),
                    row.getOffsetDateTime(9), row.getOffsetDateTime(10), row.getOffsetDateTime(11),
                    row.getOffsetDateTime(12), identifiers(row.getString(13))));
        }
        return list;
    }

    /**
     * The identifiers' {@code [[system, value], ...]} as the statement aggregates them, in order of system then
     * value, compared by code point: the order the searches' statements ask PostgreSQL for on a database whose text
     * sorts by code point (C or C.UTF-8, as ./jhe creates them; on another collation an observation with several
     * identifiers may list them in another order in a search than in an export), and the export's, which do not.
     */
    private static List<Identifier> identifiers(String json) {
        if (json == null) {
            return List.of();
        }
        List<Identifier> identifiers = new ArrayList<>(2);
        try (JsonParser parser = IDENTIFIERS.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalStateException("identifiers are not an array");
            }
            while (parser.nextToken() == JsonToken.START_ARRAY) {
                parser.nextToken();
                String system = parser.getValueAsString();
                parser.nextToken();
                String value = parser.getValueAsString();
                if (parser.nextToken() != JsonToken.END_ARRAY) {
                    throw new IllegalStateException("an identifier is not a [system, value] pair");
                }
                identifiers.add(new Identifier(system, value));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (identifiers.size() > 1) {
            identifiers.sort(IDENTIFIER_ORDER);
        }
        return identifiers;
    }

    private static final Comparator<Identifier> IDENTIFIER_ORDER = Comparator
            .comparing(Identifier::system, ObservationRepository::byCodePoint)
            .thenComparing(Identifier::value, ObservationRepository::byCodePoint);

    /** Text compared as PostgreSQL's C collation does (UTF-8 bytes, so code points), not by UTF-16 unit. */
    static int byCodePoint(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    static long micros(OffsetDateTime value) {
        Instant instant = value.toInstant();
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000L;
    }

    static OffsetDateTime fromMicros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }
}
