package org.jupyterhealth.exchange.fhir.observation;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.hl7.fhir.r5.model.Observation;
import org.jupyterhealth.exchange.fhir.access.AccessPlan;
import org.jupyterhealth.exchange.fhir.access.AccessQuery;
import org.jupyterhealth.exchange.fhir.access.AccessService;
import org.jupyterhealth.exchange.fhir.access.Caller;
import org.jupyterhealth.exchange.fhir.access.CodeKey;
import org.jupyterhealth.exchange.fhir.access.ObservationGrants;
import org.jupyterhealth.exchange.fhir.directory.DirectoryService;
import org.jupyterhealth.exchange.fhir.directory.Records.CodeRecord;
import org.jupyterhealth.exchange.fhir.directory.Records.PatientRecord;
import org.jupyterhealth.exchange.fhir.search.PageCursor;
import org.jupyterhealth.exchange.fhir.search.TokenValue;
import org.jupyterhealth.exchange.fhir.web.PathIds;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import io.smallrye.mutiny.Uni;

/**
 * Observation reads with consent enforced (the original checks it on write only): every search and read first asks
 * admin-service which codes of which patients the caller may read (narrowed by the search's patient, study and
 * organization), and the store is only ever queried within that answer. A study, organization or patient the caller may
 * not see is a 403; an observation outside the caller's reach reads as 404, as if it did not exist.
 */
@ApplicationScoped
public class ObservationService {
    /** The latest instant a cursor's snapshot may name (the end of year 9999), in epoch microseconds. */
    static final long LATEST_SNAPSHOT = 253_402_300_799_999_999L;

    private final AccessService access;
    private final DirectoryService directory;
    private final ObservationRepository repository;

    public ObservationService(AccessService access, DirectoryService directory, ObservationRepository repository) {
        this.access = access;
        this.directory = directory;
        this.repository = repository;
    }

    public Uni<ObservationPage> search(Caller caller, ObservationSearch search) {
        if (search.otherSource()) {
            return Uni.createFrom().item(new ObservationPage(List.of(), 0L, null, null));
        }
        return readableGrants(caller, search).chain(grants -> page(grants, search));
    }

    /**
     * A search's observations with a clinical time in [{@code from}, {@code to}) reduced to time buckets
     * ({@link ObservationRepository#series}), within exactly what the caller may read, as {@link #search} decides
     * it.
     */
    public Uni<List<ObservationSeriesRow>> series(Caller caller, ObservationSearch search, OffsetDateTime from,
            OffsetDateTime to, int buckets) {
        if (search.otherSource()) {
            return Uni.createFrom().item(List.of());
        }
        return readableGrants(caller, search)
                .chain(grants -> repository.series(grants, search.filter(), from, to, buckets));
    }

    /** What the caller may read within the search's patients, studies, organizations, identifiers and codes. */
    public Uni<ObservationGrants> readableGrants(Caller caller, ObservationSearch search) {
        List<List<AccessQuery>> plan = AccessPlan.of(caller.userId(), search.patients(), search.studies(),
                search.organizations());
        List<Uni<ObservationGrants>> answers = new ArrayList<>();
        for (List<AccessQuery> anyOf : plan) {
            List<Uni<ObservationGrants>> united = anyOf.stream().map(access::observationGrants).toList();
            answers.add(Uni.join().all(united).andFailFast()
                    .map(list -> list.stream().reduce(ObservationGrants.none(), ObservationGrants::union)));
        }
        return Uni.join().all(answers).andFailFast()
                .map(list -> list.stream().reduce(ObservationGrants::intersect).orElse(ObservationGrants.none()))
                .map(grants -> {
                    ObservationGrants narrowed = grants;
                    for (List<TokenValue> codes : search.codes()) {
                        narrowed = narrowed.retainCodes(code -> codes.stream()
                                .anyMatch(t -> t.matches(code.system(), code.code())));
                    }
                    return narrowed;
                })
                .chain(grants -> byPatientIdentifier(grants, search.patientIdentifiers()));
    }

    private Uni<ObservationGrants> byPatientIdentifier(ObservationGrants grants, List<List<TokenValue>> identifiers) {
        if (identifiers.isEmpty() || grants.isEmpty()) {
            return Uni.createFrom().item(identifiers.isEmpty() ? grants : ObservationGrants.none());
        }
        return directory.patients(grants.patientIds()).map(records -> {
            Set<Long> matching = new LinkedHashSet<>();
            for (PatientRecord patient : records.values()) {
                boolean all = identifiers.stream().allMatch(anyOf -> anyOf.stream().anyMatch(token ->
                        patient.identifiers().stream().anyMatch(i -> token.matches(i.system(), i.value()))));
                if (all) {
                    matching.add(patient.id());
                }
            }
            return grants.retainPatients(matching);
        });
    }

    private Uni<ObservationPage> page(ObservationGrants grants, ObservationSearch search) {
        ObservationFilter filter = search.filter();
        if (search.summaryCount()) {
            return repository.count(grants, filter, null).map(total -> new ObservationPage(List.of(), total, null, null));
        }
        int count = search.count();
        ObservationOrder order = search.order();
        if (search.cursor().isPresent()) {
            PageCursor cursor = search.cursor().get();
            if (!cursor.key().matches("|-?\\d{1,16}") || cursor.snapshot() < 0 || cursor.snapshot() > LATEST_SNAPSHOT) {
                return Uni.createFrom().failure(new InvalidRequestException(
                        "Invalid value for _cursor: use the next and previous links as given."));
            }
            OffsetDateTime snapshot = ObservationRepository.fromMicros(cursor.snapshot());
            Long total = cursor.total() >= 0 ? cursor.total() : null;
            var page = new ObservationRepository.Page(order, count + 1, !cursor.forward(), cursor.key(), cursor.id(), 0,
                    snapshot);
            return repository.findPage(grants, filter, page).chain(rows -> {
                boolean more = rows.size() > count;
                List<StoredObservation> shown = new ArrayList<>(rows.subList(0, Math.min(count, rows.size())));
                PageCursor next;
                PageCursor previous;
                if (cursor.forward()) {
                    next = more ? cursorAt(shown.get(shown.size() - 1), order, true, cursor) : null;
                    previous = shown.isEmpty() ? new PageCursor(false, cursor.key(), cursor.id(), cursor.snapshot(),
                            cursor.total()) : cursorAt(shown.get(0), order, false, cursor);
                } else {
                    Collections.reverse(shown);
                    previous = more ? cursorAt(shown.get(0), order, false, cursor) : null;
                    next = shown.isEmpty() ? new PageCursor(true, cursor.key(), cursor.id(), cursor.snapshot(),
                            cursor.total()) : cursorAt(shown.get(shown.size() - 1), order, true, cursor);
                }
                return resolve(shown).map(resources -> new ObservationPage(resources, total, next, previous));
            });
        }
        OffsetDateTime snapshot = Instant.now().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
        long offset = search.page().map(p -> (p - 1L) * count).orElse(0L);
        var page = new ObservationRepository.Page(order, count + 1, false, null, null, offset, snapshot);
        Uni<ObservationRepository.Counted> read = search.totalNeeded()
                ? repository.findPageAndCount(grants, filter, page)
                : repository.findPage(grants, filter, page).map(rows -> new ObservationRepository.Counted(null, rows));
        return read.chain(both -> {
            Long counted = both.total();
            List<StoredObservation> rows = both.rows();
            boolean more = rows.size() > count;
            List<StoredObservation> shown = rows.subList(0, Math.min(count, rows.size()));
            long micros = ObservationRepository.micros(snapshot);
            long carriedTotal = counted == null ? -1 : counted;
            PageCursor next = more ? cursorAt(shown.get(shown.size() - 1), order, true,
                    new PageCursor(true, "", 0, micros, carriedTotal)) : null;
            PageCursor previous = offset > 0 && !shown.isEmpty() ? cursorAt(shown.get(0), order, false,
                    new PageCursor(false, "", 0, micros, carriedTotal)) : null;
            return resolve(shown).map(resources -> new ObservationPage(resources, counted, next, previous));
        });
    }

    private static PageCursor cursorAt(StoredObservation row, ObservationOrder order, boolean forward,
            PageCursor from) {
        return new PageCursor(forward, order.keyOf(row), row.id(), from.snapshot(), from.total());
    }

    /** One observation, if the caller may read it; otherwise 404, whether it exists or not. */
    public Uni<Observation> read(Caller caller, String id) {
        Long observationId = PathIds.parse(id);
        if (observationId == null) {
            return Uni.createFrom().failure(notFound(id));
        }
        return repository.findById(observationId).chain(row -> {
            if (row == null) {
                return Uni.createFrom().failure(notFound(id));
            }
            return access.observationGrants(AccessQuery.of(caller.userId()).withPatient(row.patientId()))
                    .onFailure(f -> f instanceof BaseServerResponseException b
                            && (b.getStatusCode() == 403 || b.getStatusCode() == 404))
                    .recoverWithItem(ObservationGrants.none())
                    .chain(grants -> grants.allows(row.patientId(), row.system(), row.code())
                            ? resolve(List.of(row)).map(list -> toFhir(list.get(0)))
                            : Uni.createFrom().failure(notFound(id)));
        });
    }

    /**
     * The stored observations of these ids, rendered, by id: what an upload created, for the status answer its
     * uploader reads (which only the uploader may read).
     */
    public Uni<Map<Long, RenderedObservation>> stored(List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return repository.findByIds(ids).chain(this::resolve).map(rendered -> {
            Map<Long, RenderedObservation> byId = new HashMap<>();
            rendered.forEach(observation -> byId.put(observation.row().id(), observation));
            return byId;
        });
    }

    /** The rows with their patients' records (for the user id) and their codes' records (for the display text). */
    public Uni<List<RenderedObservation>> resolve(List<StoredObservation> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Set<Long> patients = new LinkedHashSet<>();
        rows.forEach(r -> patients.add(r.patientId()));
        return Uni.combine().all().unis(directory.patients(patients), directory.codes()).asTuple().map(both -> {
            Map<Long, PatientRecord> records = both.getItem1();
            Map<CodeKey, CodeRecord> codes = both.getItem2();
            List<RenderedObservation> resolved = new ArrayList<>(rows.size());
            for (StoredObservation row : rows) {
                resolved.add(new RenderedObservation(row, records.get(row.patientId()),
                        codes.get(new CodeKey(row.system(), row.code()))));
            }
            return resolved;
        });
    }

    private static Observation toFhir(RenderedObservation rendered) {
        return ObservationMapper.toFhir(rendered.row(), rendered.patient(), rendered.code());
    }

    /**
     * A page of the admin API's observation list: what the caller may read, narrowed by organization, study,
     * patient and observation id, newest first, by offset. Patient callers are refused as in the original (404).
     */
    public Uni<AdminObservationList> list(Caller caller, Long organizationId, Long studyId, Long patientId,
            Long observationId, long offset, int limit) {
        if (caller.isPatient()) {
            return Uni.createFrom().failure(new ResourceNotFoundException("Not found."));
        }
        AccessQuery query = new AccessQuery(caller.userId(), organizationId, studyId, patientId);
        ObservationFilter filter = observationId == null ? ObservationFilter.none()
                : new ObservationFilter(List.of(List.of(observationId)), List.of(), List.of(), List.of(), List.of(),
                        List.of());
        return access.observationGrants(query).chain(grants -> {
            var page = new ObservationRepository.Page(ObservationOrder.LAST_UPDATED_DESC, limit, false, null, null,
                    offset, null);
            return repository.findPageAndCount(grants, filter, page);
        }).chain(both -> items(both.rows()).map(items -> new AdminObservationList(both.total(), items)));
    }

    /** One observation of the admin API, if the caller may read it; otherwise 404. */
    public Uni<AdminObservationItem> adminRead(Caller caller, String id) {
        if (caller.isPatient()) {
            return Uni.createFrom().failure(new ResourceNotFoundException("Not found."));
        }
        Long observationId = PathIds.parse(id);
        if (observationId == null) {
            return Uni.createFrom().failure(new ResourceNotFoundException("Not found."));
        }
        return repository.findById(observationId).chain(row -> row == null
                ? Uni.createFrom().failure(new ResourceNotFoundException("Not found."))
                : access.observationGrants(AccessQuery.of(caller.userId()).withPatient(row.patientId()))
                        .onFailure(f -> f instanceof BaseServerResponseException b
                                && (b.getStatusCode() == 403 || b.getStatusCode() == 404))
                        .recoverWithItem(ObservationGrants.none())
                        .chain(grants -> grants.allows(row.patientId(), row.system(), row.code())
                                ? items(List.of(row)).map(list -> list.get(0))
                                : Uni.createFrom().failure(new ResourceNotFoundException("Not found."))));
    }

    private Uni<List<AdminObservationItem>> items(List<StoredObservation> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Set<Long> patients = new LinkedHashSet<>();
        rows.forEach(r -> patients.add(r.patientId()));
        return Uni.combine().all().unis(directory.patients(patients), directory.codes()).asTuple().map(both -> {
            List<AdminObservationItem> items = new ArrayList<>(rows.size());
            for (StoredObservation row : rows) {
                PatientRecord patient = both.getItem1().get(row.patientId());
                CodeRecord code = both.getItem2().get(new CodeKey(row.system(), row.code()));
                String family = patient == null ? null : patient.nameFamily();
                String given = patient == null ? null : patient.nameGiven();
                String display = family == null && given == null ? null
                        : (family == null ? "" : family) + (family != null && given != null ? ", " : "")
                                + (given == null ? "" : given);
                Long codeId = row.codeId() != null ? row.codeId() : code == null ? null : code.id();
                items.add(new AdminObservationItem(row.id(), row.patientId(), row.patientId(), family, given, display,
                        patient == null ? null : patient.jheUserId(), codeId, codeId, row.system(), row.code(),
                        code == null ? null : code.text(), row.dataSourceId(), row.status(), row.lastUpdated(),
                        row.lastUpdated(), row.omhJson(), row.omhJson()));
            }
            return items;
        });
    }

    private static ResourceNotFoundException notFound(String id) {
        return new ResourceNotFoundException("Observation/" + (id.length() > 64 ? id.substring(0, 64) : id)
                + " is not known.");
    }
}
