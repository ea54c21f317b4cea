package org.jupyterhealth.exchange.fhir.export;

import java.time.Duration;
import java.util.function.IntSupplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.fhir.search.ChunkedRead;
import org.jupyterhealth.exchange.fhir.search.ChunkedRead.Step;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * How fast an export reads, decided again at every chunk: an export gives way to the interactive requests of its
 * replica ({@link InteractiveLoad}) rather than competing with them for the cores and the database. The export's
 * reader and writer, and PostgreSQL's backend behind its cursor, would otherwise take whole cores for as long as
 * the export runs, and every search waits behind them.
 *
 * <ul>
 * <li>No interactive load: flat out, as if there were no pacing ({@code jhe.fhir.export.fetch-size} rows at a
 * time, the next fetch read while a chunk is written).</li>
 * <li>Interactive load: in turns (a chunk fetched, then written, never both at once), of
 * {@code jhe.fhir.export.pacing.fetch-size} rows (short bursts of work, which a search waits behind for less
 * long), with a pause before the next fetch of {@code pause-per-request} for each request of the load and each
 * export running on the replica (so that two exports together give way as much as one), at most {@code max-pause}
 * (so that an export always goes on, however busy the replica).</li>
 * </ul>
 *
 * The decisions are counted (metric {@code jhe.fhir.export.chunks}, by {@code pace}: {@code flat-out} or
 * {@code paced}), so that what the pacing did can be seen without timing it.
 */
@ApplicationScoped
public class ExportPacer {
    private final Policy policy;
    private final InteractiveLoad load;
    private final Counter flatOut;
    private final Counter paced;

    public ExportPacer(ExportConfig config, InteractiveLoad load, MeterRegistry registry) {
        ExportConfig.Pacing pacing = config.pacing();
        this.policy = new Policy(pacing.enabled(), config.fetchSize(), pacing.fetchSize(), pacing.pausePerRequest(),
                pacing.maxPause());
        this.load = load;
        this.flatOut = chunks(registry, "flat-out");
        this.paced = chunks(registry, "paced");
    }

    private static Counter chunks(MeterRegistry registry, String pace) {
        return Counter.builder("jhe.fhir.export.chunks").tag("pace", pace)
                .description("Export chunks by the pace decided for the next fetch").register(registry);
    }

    /** The pace of one export; {@code exports}: how many run on this replica now (this one included). */
    public ChunkedRead.Pace pace(IntSupplier exports) {
        return () -> {
            Step step = policy.decide(policy.enabled() ? load.load() : 0, exports.getAsInt());
            (step.readAhead() ? flatOut : paced).increment();
            return step;
        };
    }

    /** The steps decided since the start: flat out, then paced. */
    public Decisions decisions() {
        return new Decisions((long) flatOut.count(), (long) paced.count());
    }

    /** Counts of steps decided. */
    public record Decisions(long flatOut, long paced) {
    }

    /** The settings of {@code jhe.fhir.export.*} the decisions follow. */
    record Policy(boolean enabled, int fetchSize, int pacedFetchSize, Duration pausePerRequest, Duration maxPause) {

        /** The next step for an interactive load of {@code requests} with {@code exports} exports running. */
        Step decide(int requests, int exports) {
            if (!enabled || requests <= 0) {
                return Step.readAhead(Math.max(1, fetchSize));
            }
            long perRequest = Math.max(0, pausePerRequest.toNanos());
            long most = Math.max(0, maxPause.toNanos());
            long units = (long) requests * Math.max(1, exports);
            // the maximum when the product would pass it (or overflow)
            long pause = perRequest > 0 && units > most / perRequest ? most : Math.min(most, perRequest * units);
            return Step.inTurns(Math.max(1, Math.min(fetchSize, pacedFetchSize)), Duration.ofNanos(pause));
        }
    }
}
