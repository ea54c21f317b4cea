package org.jupyterhealth.exchange.fhir.resource;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.common.fhir.ResourceStore;
import org.jupyterhealth.exchange.fhir.access.AccessPlan;
import org.jupyterhealth.exchange.fhir.access.AccessQuery;
import org.jupyterhealth.exchange.fhir.access.AccessService;
import org.jupyterhealth.exchange.fhir.access.Caller;
import org.jupyterhealth.exchange.fhir.access.ObservationGrants;
import org.jupyterhealth.exchange.fhir.search.PageCursor;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import io.smallrye.mutiny.Uni;

/**
 * Reads of the FHIR resource store with the access decisions of Observations (docs/architecture.md#access-decisions):
 * admin-service says which patients' data of which scopes the caller may read, and a type is read only for the
 * patients whose scope {@code resource-types|<Type>} the caller may read (a patient: its own; a practitioner: the
 * consented scopes of studies it may see). A resource outside that reads as 404, as if it did not exist.
 */
@ApplicationScoped
public class StoreService {
    static final long LATEST_SNAPSHOT = 253_402_300_799_999_999L;

    private final AccessService access;
    private final StoreRepository repository;

    public StoreService(AccessService access, StoreRepository repository) {
        this.access = access;
        this.repository = repository;
    }

    /** A page of a search, with its total when counted and the cursors of the next and previous pages. */
    public record Page(List<StoredResource> rows, Long total, PageCursor next, PageCursor previous) {
    }

    /** One stored resource the caller may read; otherwise 404. */
    public Uni<StoredResource> read(Caller caller, String type, String id) {
        if (!ResourceStore.isStoreId(id)) {
            return Uni.createFrom().failure(notFound(type, id));
        }
        return repository.findById(type, UUID.fromString(id)).chain(row -> row == null
                ? Uni.createFrom().failure(notFound(type, id))
                : readable(caller, row).chain(allowed -> allowed ? Uni.createFrom().item(row)
                        : Uni.createFrom().failure(notFound(type, id))));
    }

    /** Whether the caller may read the row (a refusal of the patient by admin-service is a no). */
    public Uni<Boolean> readable(Caller caller, StoredResource row) {
        if (caller.isPatient()) {
            // a patient reads its own resources, whatever it consented to share
            return access.visiblePatients(AccessQuery.of(caller.userId()).withPatient(row.patientId()))
                    .onFailure(f -> f instanceof BaseServerResponseException b
                            && (b.getStatusCode() == 403 || b.getStatusCode() == 404))
                    .recoverWithItem(Set.of())
                    .map(patients -> patients.contains(row.patientId()));
        }
        return access.observationGrants(AccessQuery.of(caller.userId()).withPatient(row.patientId()))
                .onFailure(f -> f instanceof BaseServerResponseException b
                        && (b.getStatusCode() == 403 || b.getStatusCode() == 404))
                .recoverWithItem(ObservationGrants.none())
                .map(grants -> grants.allows(row.patientId(), ResourceStore.SCOPE_SYSTEM, row.type()));
    }

    /** The stored resources of these ids (what an upload wrote, for its uploader's answer). */
    public Uni<List<StoredResource>> stored(List<UUID> ids) {
        return repository.findByIds(ids);
    }

    Uni<Page> search(Caller caller, StoreSearch search) {
        if (search.nothing) {
            return Uni.createFrom().item(new Page(List.of(), 0L, null, null));
        }
        return readablePatients(caller, search).chain(patients -> page(patients, search));
    }

    /** The patients whose resources of the type the caller may read, within the search's filters. */
    private Uni<Long[]> readablePatients(Caller caller, StoreSearch search) {
        List<List<AccessQuery>> plan = AccessPlan.of(caller.userId(), search.patients, search.studies,
                search.organizations);
        if (caller.isPatient()) {
            // a patient reads its own resources, whatever it consented to share
            List<Uni<Set<Long>>> visible = new ArrayList<>();
            for (List<AccessQuery> anyOf : plan) {
                visible.add(Uni.join().all(anyOf.stream().map(access::visiblePatients).toList()).andFailFast()
                        .map(list -> {
                            Set<Long> united = new LinkedHashSet<>();
                            list.forEach(united::addAll);
                            return united;
                        }));
            }
            return Uni.join().all(visible).andFailFast().map(list -> {
                Set<Long> all = new LinkedHashSet<>(list.get(0));
                list.forEach(all::retainAll);
                return all.toArray(Long[]::new);
            });
        }
        List<Uni<ObservationGrants>> answers = new ArrayList<>();
        for (List<AccessQuery> anyOf : plan) {
            List<Uni<ObservationGrants>> united = anyOf.stream().map(access::observationGrants).toList();
            answers.add(Uni.join().all(united).andFailFast()
                    .map(list -> list.stream().reduce(ObservationGrants.none(), ObservationGrants::union)));
        }
        return Uni.join().all(answers).andFailFast()
                .map(list -> list.stream().reduce(ObservationGrants::intersect).orElse(ObservationGrants.none()))
                .map(grants -> grants.retainCodes(code -> ResourceStore.SCOPE_SYSTEM.equals(code.system())
                        && search.type.equals(code.code())).patientIds().toArray(Long[]::new));
    }

    private Uni<Page> page(Long[] patients, StoreSearch search) {
        if (patients.length == 0) {
            return Uni.createFrom().item(new Page(List.of(), 0L, null, null));
        }
        if (search.summaryCount) {
            return repository.count(search.count(patients)).map(total -> new Page(List.of(), total, null, null));
        }
        int count = search.count;
        PageCursor cursor = search.cursor.orElse(null);
        long snapshotMicros;
        Long carriedTotal = null;
        if (cursor != null) {
            if (cursor.snapshot() < 0 || cursor.snapshot() > LATEST_SNAPSHOT) {
                return Uni.createFrom().failure(new InvalidRequestException(
                        "Invalid value for _cursor: use the next and previous links as given."));
            }
            snapshotMicros = cursor.snapshot();
            carriedTotal = cursor.total() >= 0 ? cursor.total() : null;
        } else {
            snapshotMicros = micros(Instant.now().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC));
        }
        OffsetDateTime snapshot = fromMicros(snapshotMicros);
        Uni<StoreRepository.Counted> read;
        if (cursor == null && search.totalNeeded) {
            read = repository.findAndCount(search.pageAndCount(patients, count + 1, snapshot));
        } else {
            Long total = carriedTotal;
            read = repository.find(search.page(patients, count + 1, cursor, snapshot))
                    .map(rows -> new StoreRepository.Counted(total, rows));
        }
        return read.map(both -> {
            List<StoredResource> found = both.rows();
            Long counted = both.total();
            long carried = counted == null ? -1 : counted;
            boolean more = found.size() > count;
            List<StoredResource> shown = new ArrayList<>(found.subList(0, Math.min(count, found.size())));
            PageCursor next;
            PageCursor previous;
            if (cursor == null) {
                // the first page: nothing before it
                next = more ? at(search, shown.get(shown.size() - 1), true, snapshotMicros, carried) : null;
                previous = null;
            } else if (cursor.forward()) {
                next = more ? at(search, shown.get(shown.size() - 1), true, snapshotMicros, carried) : null;
                previous = shown.isEmpty() ? cursor.withDirection(false)
                        : at(search, shown.get(0), false, snapshotMicros, carried);
            } else {
                // read backwards from the anchor: turned into the search's order
                Collections.reverse(shown);
                previous = more ? at(search, shown.get(0), false, snapshotMicros, carried) : null;
                next = shown.isEmpty() ? cursor.withDirection(true)
                        : at(search, shown.get(shown.size() - 1), true, snapshotMicros, carried);
            }
            return new Page(shown, counted, next, previous);
        });
    }

    private static PageCursor at(StoreSearch search, StoredResource row, boolean forward, long snapshot, long total) {
        return new PageCursor(forward, search.keyOf(row), 0, snapshot, total);
    }

    static long micros(OffsetDateTime value) {
        Instant instant = value.toInstant();
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000L;
    }

    static OffsetDateTime fromMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L)
                .atOffset(ZoneOffset.UTC);
    }

    static ResourceNotFoundException notFound(String type, String id) {
        return new ResourceNotFoundException(type + "/" + (id.length() > 64 ? id.substring(0, 64) : id)
                + " is not known.");
    }
}
