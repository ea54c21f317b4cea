package org.jupyterhealth.exchange.fhir.export;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of bulk export ({@code jhe.fhir.export.*}, env {@code JHE_FHIR_EXPORT_*}). */
@ConfigMapping(prefix = "jhe.fhir.export")
public interface ExportConfig {

    /**
     * The folder of the export files: a volume every replica of fhir-service mounts (a PersistentVolume with
     * ReadWriteMany in Kubernetes), since any replica may serve a file another one wrote.
     */
    @WithDefault(".jhe/exports")
    String dir();

    /** A file of one type is closed and the next one begun once it has reached this size. */
    @WithDefault("256M")
    MemorySize maxFileSize();

    /**
     * The first file of each type is closed once it holds this many resources (the next ones at
     * {@link #maxFileSize()}), so that a client that allows partial manifests can start downloading within a
     * second or two of the kick-off, whatever the export's size. A count, not a time, so that a job redone after a
     * restart writes the same files.
     */
    @WithDefault("1000")
    int firstFileResources();

    /** How long a job and its files are kept after the kick-off; then they are removed. */
    @WithDefault("24h")
    Duration expiry();

    /** Exports written at the same time by one replica; more wait in the queue. */
    @WithDefault("2")
    int workers();

    /** Exports one user may have waiting or under way at once; one more is refused with 429. */
    @WithDefault("2")
    int maxJobsPerUser();

    /**
     * How long a claimed job stays its worker's without news from it; a job whose worker stopped is claimed again
     * (by any replica) once it has run out, and redone.
     */
    @WithDefault("60s")
    Duration lease();

    /** How often a replica looks for waiting jobs (and for jobs whose worker stopped). */
    @WithDefault("1s")
    Duration pollInterval();

    /** How often expired jobs and their files are removed. */
    @WithDefault("5m")
    Duration cleanupInterval();

    /** Rows read from PostgreSQL at a time (one cursor fetch). */
    @WithDefault("5000")
    int fetchSize();

    /** How long a client is asked to wait before asking for a job's status again ({@code Retry-After}). */
    @WithDefault("2s")
    Duration retryAfter();

    /** How an export gives way to the interactive requests of its replica ({@link ExportPacer}). */
    Pacing pacing();

    /** {@code jhe.fhir.export.pacing.*}. */
    interface Pacing {
        /** Off: exports always read ahead at {@link ExportConfig#fetchSize()}, whatever else the replica serves. */
        @WithDefault("true")
        boolean enabled();

        /**
         * The interactive load is the most interactive requests this replica had in flight at once within the last
         * window (up to two): a request in flight at the very instant a chunk ends says little about a client that
         * sends one after another.
         */
        @WithDefault("100ms")
        Duration window();

        /** Rows read at a time while there is interactive load: a shorter burst of work between pauses. */
        @WithDefault("500")
        int fetchSize();

        /** The pause between two chunks per interactive request of the load (and per export running). */
        @WithDefault("2ms")
        Duration pausePerRequest();

        /**
         * The longest pause between two chunks, whatever the load: an export always goes on, at no less than
         * {@link #fetchSize()} rows per this pause and the chunk's own work.
         */
        @WithDefault("50ms")
        Duration maxPause();
    }
}
