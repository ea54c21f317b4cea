package org.jupyterhealth.exchange.fhir.export;

import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.common.fhir.ResourceStore;
import org.jupyterhealth.exchange.fhir.access.AccessQuery;
import org.jupyterhealth.exchange.fhir.access.AccessService;
import org.jupyterhealth.exchange.fhir.access.Caller;
import org.jupyterhealth.exchange.fhir.access.ObservationGrants;
import org.jupyterhealth.exchange.fhir.observation.ObservationFilter;
import org.jupyterhealth.exchange.fhir.observation.ObservationRepository;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Bulk export's use cases: the kick-off decides, once, what the requester may read (admin-service's answers, as a
 * search asks them: consented codes of the patients it may see, narrowed to the study of a Group export or to the
 * patients named; a patient its own data) and queues the job with that decision; the status, files and
 * cancellation are the requester's alone (a superuser's too): anyone else is told the job does not exist.
 */
@ApplicationScoped
public class ExportService {
    /** Export levels: the whole exchange, all patients the caller may see, the patients of one study. */
    public enum Level {
        SYSTEM, PATIENT, GROUP
    }

    /** A queued job, with the patients whose data it may contain (for the audit trail). */
    public record KickOff(UUID id, List<Long> patients) {
    }

    /** A job and its files. */
    public record JobView(ExportJob job, List<ExportFile> files) {
    }

    /** A file to serve, with its job (for the audit trail). */
    public record FileView(ExportJob job, ExportFile file, Path path) {
    }

    private final AccessService access;
    private final ObservationRepository observations;
    private final ExportJobRepository jobs;
    private final ExportFiles files;
    private final ExportConfig config;
    private final ExportWorker worker;

    public ExportService(AccessService access, ObservationRepository observations, ExportJobRepository jobs,
            ExportFiles files, ExportConfig config, ExportWorker worker) {
        this.access = access;
        this.observations = observations;
        this.jobs = jobs;
        this.files = files;
        this.config = config;
        this.worker = worker;
    }

    public Uni<KickOff> kickOff(Caller caller, Level level, Long groupId, ExportRequest request, String requestUrl) {
        if (level == Level.SYSTEM && !caller.superuser()) {
            return Uni.createFrom().failure(new ForbiddenOperationException(
                    "Only a superuser may export from the whole exchange; use Group/{id}/$export or Patient/$export."));
        }
        AccessQuery base = AccessQuery.of(caller.userId());
        if (level == Level.GROUP) {
            base = base.withStudy(groupId);
        }
        List<AccessQuery> queries = new ArrayList<>();
        if (request.patients() == null) {
            queries.add(base);
        } else {
            for (Long patient : request.patients()) {
                queries.add(base.withPatient(patient));
            }
        }
        Uni<ObservationGrants> grants = Uni.join().all(queries.stream().map(access::observationGrants).toList())
                .andFailFast().map(list -> list.stream().reduce(ObservationGrants.none(), ObservationGrants::union));
        Uni<Set<Long>> visible = Uni.join().all(queries.stream().map(access::visiblePatients).toList())
                .andFailFast().map(list -> {
                    Set<Long> union = new LinkedHashSet<>();
                    list.forEach(union::addAll);
                    return union;
                });
        OffsetDateTime now = Instant.now().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
        return Uni.combine().all().unis(grants, visible).asTuple()
                .chain(both -> {
                    ExportJobSpec spec = spec(caller, level, groupId, request, both.getItem1(), both.getItem2());
                    ObservationGrants readable = spec.observationGrants();
                    Uni<Long> estimate = spec.types().contains("Observation")
                            ? observations.count(readable, ObservationFilter.none(), null)
                            : Uni.createFrom().item(0L);
                    UUID id = UUID.randomUUID();
                    return estimate.chain(observed -> jobs.insertWithinLimit(id, caller.userId(), requestUrl, spec,
                            now, now.plus(config.expiry()), observed + spec.patients().size(),
                            config.maxJobsPerUser()))
                            .map(queued -> {
                                if (!queued) {
                                    throw new ExportLimitException(config.maxJobsPerUser());
                                }
                                worker.kick();
                                return new KickOff(id, spec.allPatients());
                            });
                });
    }

    private static ExportJobSpec spec(Caller caller, Level level, Long groupId, ExportRequest request,
            ObservationGrants grants, Set<Long> visible) {
        List<String> types = request.types();
        ObservationGrants omh = grants.retainCodes(code -> !ResourceStore.SCOPE_SYSTEM.equals(code.system()));
        if (request.codes() != null) {
            omh = omh.retainCodes(code -> request.codes().stream().anyMatch(t -> t.matches(code.system(),
                    code.code())));
        }
        if (!types.contains("Observation")) {
            omh = ObservationGrants.none();
        }
        Map<String, List<Long>> store = new LinkedHashMap<>();
        for (String type : types) {
            if (!ResourceStore.isStoreType(type)) {
                continue;
            }
            // as a search of the store: a patient reads its own resources, whatever it consented to share; a
            // practitioner those of the patients that consented to the type's scope
            List<Long> readers = caller.isPatient() ? List.copyOf(visible)
                    : List.copyOf(grants.retainCodes(code -> ResourceStore.SCOPE_SYSTEM.equals(code.system())
                            && type.equals(code.code())).patientIds());
            if (!readers.isEmpty()) {
                store.put(type, readers);
            }
        }
        List<Long> patients = types.contains("Patient") ? List.copyOf(visible) : List.of();
        return new ExportJobSpec(level.name().toLowerCase(java.util.Locale.ROOT), groupId, types,
                request.since() == null ? null : request.since().toInstant().toString(),
                request.until() == null ? null : request.until().toInstant().toString(),
                ExportJobSpec.grantsOf(omh), patients, store, request.codes() == null ? null
                        : request.codes().stream().map(t -> t.system() == null ? t.code() : t.system() + "|" + t.code())
                                .toList(),
                request.ignored(), request.partialManifests());
    }

    /** The caller's job, or 404 (someone else's, expired or unknown: the same answer). */
    public Uni<JobView> status(Caller caller, String id) {
        return visibleJob(caller, id).chain(job -> jobs.listFiles(job.id()).map(list -> new JobView(job, list)));
    }

    /** Cancels the caller's job (waiting, under way or done) and removes its files. */
    public Uni<Void> cancel(Caller caller, String id) {
        return visibleJob(caller, id).chain(job -> jobs.delete(job.id()))
                .chain(() -> Uni.createFrom().item(() -> {
                    files.deleteJob(UUID.fromString(id));
                    return (Void) null;
                }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }

    /** A file of the caller's finished job, or 404. */
    public Uni<FileView> file(Caller caller, String id, String name) {
        return visibleJob(caller, id).chain(job -> {
            Path path = files.file(job.id(), name);
            // a file is recorded once it is finished: a running job's files may be served when listed early
            if (path == null || ExportJob.FAILED.equals(job.status())
                    || (!ExportJob.COMPLETED.equals(job.status()) && !job.spec().listsFilesEarly())) {
                return Uni.createFrom().failure(notFound());
            }
            return jobs.listFiles(job.id()).map(list -> list.stream().filter(f -> f.name().equals(name)).findFirst()
                    .map(f -> new FileView(job, f, path)).orElseThrow(ExportService::notFound));
        });
    }

    private Uni<ExportJob> visibleJob(Caller caller, String id) {
        UUID jobId = parse(id);
        if (jobId == null) {
            return Uni.createFrom().failure(notFound());
        }
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return jobs.findById(jobId).map(job -> {
            if (job == null || job.expired(now) || (job.requesterUserId() != caller.userId() && !caller.superuser())) {
                throw notFound();
            }
            return job;
        });
    }

    private static UUID parse(String id) {
        if (id == null || !ResourceStore.isStoreId(id)) {
            return null;
        }
        return UUID.fromString(id);
    }

    static ResourceNotFoundException notFound() {
        return new ResourceNotFoundException("No such export.");
    }
}
