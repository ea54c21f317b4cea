package org.jupyterhealth.exchange.fhir.export;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r5.model.OperationOutcome.IssueType;
import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.fhir.access.CodeKey;
import org.jupyterhealth.exchange.fhir.access.ObservationGrants;
import org.jupyterhealth.exchange.fhir.directory.DirectoryService;
import org.jupyterhealth.exchange.fhir.directory.Records.CodeRecord;
import org.jupyterhealth.exchange.fhir.directory.Records.PatientRecord;
import org.jupyterhealth.exchange.fhir.observation.ObservationJson;
import org.jupyterhealth.exchange.fhir.observation.ObservationRepository;
import org.jupyterhealth.exchange.fhir.observation.RenderedObservation;
import org.jupyterhealth.exchange.fhir.observation.StoredObservation;
import org.jupyterhealth.exchange.fhir.patient.PatientMapper;
import org.jupyterhealth.exchange.fhir.resource.StoreJson;
import org.jupyterhealth.exchange.fhir.resource.StoreRepository;
import org.jupyterhealth.exchange.fhir.resource.StoredResource;
import org.jupyterhealth.exchange.fhir.search.ChunkedRead;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import ca.uhn.fhir.context.FhirContext;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * Writes export jobs. Each replica runs at most {@code jhe.fhir.export.workers} jobs at once, so that exports
 * cannot take the database connections and cores interactive requests need; more jobs wait in the queue. A job is
 * claimed with a lease ({@link ExportJobRepository#claim}) that its progress renews (every second); a job whose worker
 * stopped (a crash, a restart) is claimed again once its lease has run out, by any replica, and redone from the
 * start: its folder emptied, its file records forgotten, the same rows read (they are those last updated up to
 * the job's transaction time, with the access decided at kick-off), so that it writes the same files. Rows come
 * from PostgreSQL a chunk at a time through a cursor, the next chunk fetched while one is written, and are decoded
 * and written on this worker's own threads (never the event loop); nothing holds more than two chunks. While the
 * replica serves interactive requests, the chunks are smaller and read in turns with pauses ({@link ExportPacer}).
 * A file is
 * recorded as soon as it is closed (the status lists it early when the kick-off allowed partial manifests). A job
 * cancelled or expired under way stops within a second, its files removed.
 */
@ApplicationScoped
public class ExportWorker {
    private static final Logger LOG = Logger.getLogger(ExportWorker.class);
    private static final JsonFactory JSON = new JsonFactory();
    /** How often a running job's row is updated (progress, lease) when no file was finished meanwhile. */
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(1);

    private final ExportConfig config;
    private final ExportJobRepository jobs;
    private final ExportFiles files;
    private final ObservationRepository observations;
    private final StoreRepository store;
    private final DirectoryService directory;
    private final FhirContext fhir;
    private final ExportPacer pacer;
    /** Who holds a lease: this replica, for as long as it runs. */
    private final String owner = "fhir-service-" + UUID.randomUUID();
    private final AtomicInteger active = new AtomicInteger();
    private final Set<UUID> running = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private ExecutorService writers;
    private Cancellable ticker;
    private Cancellable cleaner;

    public ExportWorker(ExportConfig config, ExportJobRepository jobs, ExportFiles files,
            ObservationRepository observations, StoreRepository store, DirectoryService directory, FhirContext fhir,
            ExportPacer pacer) {
        this.config = config;
        this.jobs = jobs;
        this.files = files;
        this.observations = observations;
        this.store = store;
        this.directory = directory;
        this.fhir = fhir;
        this.pacer = pacer;
    }

    void start(@Observes StartupEvent event) {
        AtomicInteger threads = new AtomicInteger();
        writers = Executors.newFixedThreadPool(Math.max(1, config.workers()), task -> {
            Thread thread = new Thread(task, "export-writer-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        ticker = Multi.createFrom().ticks().every(config.pollInterval()).subscribe().with(t -> kick(), e -> {
        });
        cleaner = Multi.createFrom().ticks().startingAfter(Duration.ofSeconds(1)).every(config.cleanupInterval())
                .subscribe().with(t -> cleanUp(), e -> {
                });
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        if (ticker != null) {
            ticker.cancel();
        }
        if (cleaner != null) {
            cleaner.cancel();
        }
        // the jobs under way are handed back, so that the next replica to look redoes them without waiting for
        // their leases to run out
        for (UUID id : running) {
            try {
                jobs.release(id, owner).await().atMost(Duration.ofSeconds(1));
            } catch (RuntimeException e) {
                LOG.debugf("export %s not handed back: its lease will run out", id);
            }
        }
        if (writers != null) {
            writers.shutdownNow();
        }
    }

    /** Claims a waiting job if a worker is free; returns at once. */
    public void kick() {
        if (stopping || writers == null) {
            return;
        }
        if (active.incrementAndGet() > config.workers()) {
            active.decrementAndGet();
            return;
        }
        jobs.claim(owner, config.lease(), List.copyOf(running)).subscribe().with(job -> {
            if (job == null) {
                active.decrementAndGet();
                return;
            }
            running.add(job.id());
            kick(); // another worker may be free for the next job
            run(job).subscribe().with(done -> finished(job), failure -> finished(job));
        }, failure -> {
            active.decrementAndGet();
            LOG.debugf("no export claimed: %s", failure.toString());
        });
    }

    private void finished(ExportJob job) {
        running.remove(job.id());
        active.decrementAndGet();
        kick();
    }

    /** Writes one job, start to end; its failures are recorded on the job, never thrown. */
    Uni<Void> run(ExportJob job) {
        Run run = new Run(job);
        return jobs.deleteFiles(job.id())
                .chain(() -> onWriters(() -> {
                    run.writer = files.start(job.id());
                    return null;
                }))
                .chain(() -> run.resolve())
                .chain(() -> run.writeTypes(0))
                .chain(() -> run.writeIgnored())
                .chain(() -> jobs.complete(job.id(), owner, run.written.get()))
                .invoke(completed -> {
                    if (!completed) {
                        throw new Stopped();
                    }
                })
                .replaceWithVoid()
                .onFailure().call(failure -> {
                    if (failure instanceof Stopped) {
                        // cancelled, expired or taken over: whatever it wrote is nobody's
                        return jobs.findById(job.id()).chain(now -> now == null
                                ? onWriters(() -> {
                                    files.deleteJob(job.id());
                                    return null;
                                }) : Uni.createFrom().voidItem());
                    }
                    if (stopping) {
                        return Uni.createFrom().voidItem(); // redone by the next replica to claim it
                    }
                    LOG.errorf(failure, "export %s failed", job.id());
                    return jobs.fail(job.id(), owner, "The export could not be written; start a new one.")
                            .chain(() -> onWriters(() -> {
                                files.deleteJob(job.id());
                                return null;
                            }));
                })
                .onFailure().recoverWithNull()
                .eventually(() -> onWriters(() -> {
                    if (run.writer != null) {
                        run.writer.close();
                    }
                    return null;
                }).onFailure().recoverWithNull());
    }

    /** Removes expired jobs, their files, and folders no job owns any more (a cancel that did not finish). */
    void cleanUp() {
        if (stopping) {
            return;
        }
        jobs.deleteExpired(100)
                .chain(expired -> onWriters(() -> {
                    expired.forEach(files::deleteJob);
                    return files.jobFolders();
                }))
                .chain(folders -> jobs.listExisting(folders).chain(known -> onWriters(() -> {
                    for (UUID folder : folders) {
                        if (!known.contains(folder) && !running.contains(folder)) {
                            files.deleteJob(folder);
                        }
                    }
                    return null;
                })))
                .subscribe().with(x -> {
                }, failure -> LOG.warnf("export clean-up failed: %s", failure.toString()));
    }

    private <T> Uni<T> onWriters(Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(writers);
    }

    /** A job no longer this worker's to write. */
    static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("the export is no longer this worker's", null, false, false);
        }
    }

    /** One attempt at a job. */
    private final class Run {
        final ExportJob job;
        final ExportJobSpec spec;
        final OffsetDateTime since;
        final OffsetDateTime until;
        final AtomicLong written = new AtomicLong();
        final LineBuffer buffer = new LineBuffer();
        volatile long lastProgress = System.nanoTime();
        ExportFiles.Writer writer;
        Map<Long, PatientRecord> patients = Map.of();
        Map<CodeKey, CodeRecord> codes = Map.of();

        Run(ExportJob job) {
            this.job = job;
            this.spec = job.spec();
            this.since = spec.since() == null ? null : OffsetDateTime.parse(spec.since());
            this.until = spec.until() == null ? null : OffsetDateTime.parse(spec.until());
        }

        /** The records an Observation's and a Patient's rendering need, read once for the whole job. */
        Uni<Void> resolve() {
            List<Long> ids = new ArrayList<>(spec.patients());
            spec.observationGrants().patientIds().stream().filter(id -> !ids.contains(id)).forEach(ids::add);
            Uni<Map<Long, PatientRecord>> records = ids.isEmpty() ? Uni.createFrom().item(Map.of())
                    : directory.patients(ids);
            return Uni.combine().all().unis(records, directory.codes()).asTuple().invoke(both -> {
                patients = both.getItem1();
                codes = both.getItem2();
            }).replaceWithVoid();
        }

        Uni<Void> writeTypes(int index) {
            if (index >= spec.types().size()) {
                return Uni.createFrom().voidItem();
            }
            String type = spec.types().get(index);
            return onWriters(() -> {
                writer.begin(type, "output");
                return null;
            }).chain(() -> writeType(type))
                    .chain(() -> onWriters(() -> {
                        writer.closeFile();
                        return null;
                    }))
                    .chain(() -> recordFiles())
                    .chain(() -> writeTypes(index + 1));
        }

        private Uni<Void> writeType(String type) {
            Uni<Void> own = switch (type) {
                case "Patient" -> onWriters(() -> {
                    int count = 0;
                    for (Long id : spec.patients()) {
                        PatientRecord record = patients.get(id);
                        if (record != null && within(record.lastUpdated())) {
                            byte[] line = fhir.newJsonParser().encodeResourceToString(PatientMapper.toFhir(record))
                                    .getBytes(StandardCharsets.UTF_8);
                            writer.line(line, line.length);
                            count++;
                        }
                    }
                    return new Written(count, writer.finished());
                }).chain(this::progress);
                case "Observation" -> observations.stream(spec.observationGrants(), since, until,
                        job.transactionTime(), fetch(), this::writeObservations).replaceWithVoid();
                default -> Uni.createFrom().voidItem();
            };
            List<Long> readers = spec.store().get(type);
            if (readers == null || readers.isEmpty()) {
                return own;
            }
            return own.chain(() -> store.stream(type, readers.toArray(Long[]::new), since, until,
                    "Observation".equals(type) ? spec.codeFilter() : null, job.transactionTime(),
                    fetch(), this::writeStored)).replaceWithVoid();
        }

        private boolean within(OffsetDateTime lastUpdated) {
            if (since == null && until == null) {
                return true;
            }
            return lastUpdated != null && (since == null || lastUpdated.isAfter(since))
                    && (until == null || lastUpdated.isBefore(until));
        }

        private Uni<Void> writeObservations(List<StoredObservation> rows) {
            return onWriters(() -> {
                buffer.reset();
                // one generator for the chunk, flushed after each resource into the line buffer (a generator per
                // line cost a tenth of the writing); no separator between its root values: the writer adds the
                // line breaks
                try (JsonGenerator json = JSON.createGenerator(buffer)) {
                    json.setRootValueSeparator(null);
                    CodeKey lastKey = null;
                    CodeRecord lastCode = null;
                    for (StoredObservation row : rows) {
                        // a study's rows come with few codes: the record of the row before is most often this one's
                        if (lastKey == null || !java.util.Objects.equals(lastKey.system(), row.system())
                                || !java.util.Objects.equals(lastKey.code(), row.code())) {
                            lastKey = new CodeKey(row.system(), row.code());
                            lastCode = codes.get(lastKey);
                        }
                        ObservationJson.write(json, new RenderedObservation(row, patients.get(row.patientId()),
                                lastCode));
                        json.flush();
                        writer.line(buffer.bytes(), buffer.size());
                        buffer.reset();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return new Written(rows.size(), writer.finished());
            }).chain(this::progress);
        }

        private Uni<Void> writeStored(List<StoredResource> rows) {
            return onWriters(() -> {
                for (StoredResource row : rows) {
                    byte[] line = StoreJson.render(row).toString().getBytes(StandardCharsets.UTF_8);
                    writer.line(line, line.length);
                }
                return new Written(rows.size(), writer.finished());
            }).chain(this::progress);
        }

        /** What a lenient kick-off left out, as one OperationOutcome in the manifest's error list. */
        Uni<Void> writeIgnored() {
            if (spec.ignored() == null || spec.ignored().isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            return onWriters(() -> {
                OperationOutcome outcome = new OperationOutcome();
                spec.ignored().forEach(message -> outcome.addIssue().setSeverity(IssueSeverity.WARNING)
                        .setCode(IssueType.NOTSUPPORTED).setDiagnostics(message));
                writer.begin("OperationOutcome", "error");
                byte[] line = fhir.newJsonParser().encodeResourceToString(outcome).getBytes(StandardCharsets.UTF_8);
                writer.line(line, line.length);
                writer.closeFile();
                return null;
            }).chain(() -> recordFiles());
        }

        /**
         * The rows of a fetch: mapped off the event loop on the writers (where they are written next), the first
         * fetch of a type no larger than its first file, so that the first file is closed after one fetch; the
         * next ones as the pacer decides, giving way to the replica's interactive requests.
         */
        private ChunkedRead.Fetch fetch() {
            return new ChunkedRead.Fetch(Math.min(config.firstFileResources(), config.fetchSize()), config.fetchSize(),
                    writers, pacer.pace(running::size));
        }

        /**
         * Counts what was written, records the files it finished and renews the lease; stops when the job is no
         * longer this worker's. The job's row is written when a file was finished, else at most every
         * {@link #PROGRESS_EVERY}: a round trip per chunk would slow the export, and a cancel is still seen within it.
         */
        private Uni<Void> progress(Written chunk) {
            long total = written.addAndGet(chunk.count());
            long now = System.nanoTime();
            if (chunk.files().isEmpty() && now - lastProgress < PROGRESS_EVERY.toNanos()) {
                return Uni.createFrom().voidItem();
            }
            lastProgress = now;
            return jobs.progress(job.id(), owner, total, config.lease()).chain(mine -> mine ? record(chunk.files(), 0)
                    : Uni.createFrom().failure(new Stopped()));
        }

        private Uni<Void> recordFiles() {
            return onWriters(() -> writer.finished()).chain(done -> record(done, 0));
        }

        private Uni<Void> record(List<ExportFile> done, int index) {
            if (index >= done.size()) {
                return Uni.createFrom().voidItem();
            }
            return jobs.insertFile(job.id(), owner, done.get(index)).chain(mine -> mine ? record(done, index + 1)
                    : Uni.createFrom().failure(new Stopped()));
        }
    }

    /** What a chunk wrote: its resources and the files it finished. */
    private record Written(int count, List<ExportFile> files) {
    }

    /** A reusable buffer of one rendered line. */
    private static final class LineBuffer extends ByteArrayOutputStream {
        LineBuffer() {
            super(4096);
        }

        byte[] bytes() {
            return buf;
        }
    }
}
