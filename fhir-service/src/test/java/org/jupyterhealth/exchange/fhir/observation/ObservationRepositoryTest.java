package org.jupyterhealth.exchange.fhir.observation;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.testing.JwksTestResource;
import org.jupyterhealth.exchange.common.testing.PooledConnections;
import org.jupyterhealth.exchange.fhir.access.CodeKey;
import org.jupyterhealth.exchange.fhir.access.ObservationGrants;
import org.jupyterhealth.exchange.fhir.search.SqlBuilder;
import org.jupyterhealth.exchange.fhir.support.FakeAdmin;
import org.jupyterhealth.exchange.fhir.support.ObservationStore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * The observation store's connections as fhir-service opens them, here with a short lifetime so that their
 * replacement can be watched.
 */
@QuarkusTest
@TestProfile(PooledConnections.ShortLifetime.class)
@QuarkusTestResource(JwksTestResource.class)
@QuarkusTestResource(FakeAdmin.class)
@QuarkusTestResource(ObservationStore.class)
class ObservationRepositoryTest {
    /** A patient of no other test, so that the rows this test stores are the only ones it reads. */
    private static final long PATIENT = 49_001;
    private static final String SYSTEM = "https://w3id.org/openmhealth";
    private static final String CODE = "omh:heart-rate:2.0";
    private static final int PAGE = 20;
    private static final int STORED = 20_000;

    @Inject
    Pool pool;

    @Test
    void pagesAreNeverJitCompiled() {
        // without statistics (a store never analyzed) a page's cost estimate crossed the JIT thresholds, and each
        // keyset page of a 10,000-observation read paid 300-750 ms of compiling for a millisecond of work
        String jit = pool.query("SHOW jit").execute().await().indefinitely().iterator().next().getString(0);

        assertThat(jit).isEqualTo("off");
    }

    @Test
    void connectionsAreKeptWithinTheirLifetimeAndReplacedAfterIt() throws InterruptedException {
        PooledConnections.assertKeptThenRetired(pool);
    }

    @Test
    void aFirstPageReadsOnlyItsRowsOnceTheConnectionsOfTheSmallStoreAreRetired() throws Exception {
        // the first page of a search, as the service asks for it: one more row than shown, newest first
        var grants = ObservationGrants.of(List.of(new ObservationGrants.Grant(List.of(PATIENT),
                List.of(new CodeKey(SYSTEM, CODE)))));
        OffsetDateTime snapshot = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MICROS)
                .atOffset(ZoneOffset.UTC);
        var page = new ObservationRepository.Page(ObservationOrder.LAST_UPDATED_DESC, PAGE + 1, false, null, null, 0,
                snapshot);
        SqlBuilder statement = ObservationRepository.pageStatement(grants, ObservationFilter.none(), page);

        // the store's statistics describe it small, and nothing analyzes it again as it grows (autovacuum off)
        analyze();
        Set<Integer> smallStore = new HashSet<>();
        SqlConnection early = pool.getConnection().await().indefinitely();
        try {
            smallStore.add(backend(early));
            smallStore.addAll(PooledConnections.backends(pool, 5));
            // prepared and run on the small store: the plan the connection caches is made for that size
            prepare(early, statement);
            store(STORED);

            // the plan cached on a connection of the small store reads the patient's rows and sorts them all
            assertThat(rowsRead(early, statement)).as("rows read by the plan cached on the small store")
                    .isGreaterThan(PAGE + 1);
        } finally {
            deallocate(early);
        }

        // ...which is why no connection outlives its lifetime: its successor plans on the store as it is
        PooledConnections.awaitRetired(pool, smallStore, PooledConnections.SHORT_LIFETIME.multipliedBy(3));
        SqlConnection later = pool.getConnection().await().indefinitely();
        try {
            assertThat(backend(later)).isNotIn(smallStore);
            prepare(later, statement);
            assertThat(rowsRead(later, statement)).as("rows read for one page").isLessThanOrEqualTo(PAGE + 1);
        } finally {
            deallocate(later);
            ObservationStore.deletePatient(PATIENT);
        }
    }

    private static int backend(SqlConnection connection) {
        return connection.query("SELECT pg_backend_pid()").execute().await().indefinitely().iterator().next()
                .getInteger(0);
    }

    /** Prepares the page as {@code first_page} and runs it often enough for PostgreSQL to settle on a plan. */
    private static void prepare(SqlConnection connection, SqlBuilder statement) {
        connection.query("PREPARE first_page AS " + statement.sql()).execute().await().indefinitely();
        for (int run = 0; run < 7; run++) {
            connection.query(execute(statement)).execute().await().indefinitely();
        }
    }

    private static void deallocate(SqlConnection connection) {
        try {
            connection.query("DEALLOCATE first_page").execute().await().indefinitely();
        } finally {
            connection.close().await().indefinitely();
        }
    }

    /** The observation rows the prepared page reads, as PostgreSQL counts them running it. */
    private static long rowsRead(SqlConnection connection, SqlBuilder statement) throws Exception {
        JsonNode plan = new ObjectMapper().readTree(connection.query("EXPLAIN (ANALYZE, FORMAT JSON) "
                + execute(statement)).execute().await().indefinitely().iterator().next().getValue(0).toString());
        List<JsonNode> scans = new ArrayList<>();
        observationScans(plan.get(0).get("Plan"), scans);
        assertThat(scans).as("plan %s", plan).isNotEmpty();
        return scans.stream().mapToLong(scan -> (scan.get("Actual Rows").asLong()
                + scan.path("Rows Removed by Filter").asLong()) * scan.get("Actual Loops").asLong()).sum();
    }

    private static String execute(SqlBuilder statement) {
        return "EXECUTE first_page(" + literals(statement) + ")";
    }

    /** Stores {@code count} observations of {@link #PATIENT}, as the store's owner (the service only reads it). */
    private static void store(int count) throws SQLException {
        try (Connection db = ObservationStore.connect();
                PreparedStatement insert = db.prepareStatement("INSERT INTO ingest.observation (subject_patient_id, "
                        + "codeable_concept_id, coding_system, coding_code, omh_data, last_updated) SELECT ?, 1, ?, "
                        + "?, '{}'::jsonb, now() - g * interval '1 second' FROM generate_series(1, ?) g")) {
            insert.setLong(1, PATIENT);
            insert.setString(2, SYSTEM);
            insert.setString(3, CODE);
            insert.setInt(4, count);
            insert.executeUpdate();
        }
    }

    /**
     * Statistics of the store as it is now: few rows on few pages (the rows other tests removed are vacuumed away
     * first, so that the statistics describe a small store, not a sparse one).
     */
    private static void analyze() throws SQLException {
        try (Connection db = ObservationStore.connect();
                PreparedStatement analyze = db.prepareStatement("VACUUM ANALYZE ingest.observation")) {
            analyze.execute();
        }
    }

    /** Every node of the plan that reads {@code ingest.observation}. */
    private static void observationScans(JsonNode node, List<JsonNode> scans) {
        if ("observation".equals(node.path("Relation Name").asText())) {
            scans.add(node);
        }
        for (JsonNode child : node.path("Plans")) {
            observationScans(child, scans);
        }
    }

    /** The statement's parameters as SQL literals, for {@code EXECUTE} (which takes no bound parameters). */
    private static String literals(SqlBuilder statement) {
        List<String> literals = new ArrayList<>();
        for (int i = 0; i < statement.tuple().size(); i++) {
            Object value = statement.tuple().getValue(i);
            if (value instanceof Object[] array) {
                value = Arrays.stream(array).map(e -> "\"" + e.toString().replace("\\", "\\\\")
                        .replace("\"", "\\\"") + "\"").collect(Collectors.joining(",", "{", "}"));
            }
            literals.add("'" + value.toString().replace("'", "''") + "'");
        }
        return String.join(", ", literals);
    }
}
