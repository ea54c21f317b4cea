package org.jupyterhealth.exchange.fhir.patient;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import org.hl7.fhir.r5.model.Patient;
import org.jupyterhealth.exchange.fhir.access.AccessPlan;
import org.jupyterhealth.exchange.fhir.access.AccessQuery;
import org.jupyterhealth.exchange.fhir.access.AccessService;
import org.jupyterhealth.exchange.fhir.access.Caller;
import org.jupyterhealth.exchange.fhir.directory.DirectoryService;
import org.jupyterhealth.exchange.fhir.directory.Records.PatientRecord;
import org.jupyterhealth.exchange.fhir.search.DateRange;
import org.jupyterhealth.exchange.fhir.search.ListPaging;
import org.jupyterhealth.exchange.fhir.search.ListPaging.ListPage;
import org.jupyterhealth.exchange.fhir.search.SearchRequest;
import org.jupyterhealth.exchange.fhir.search.TokenValue;
import org.jupyterhealth.exchange.fhir.web.PathIds;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import io.smallrye.mutiny.Uni;

/**
 * Patient search and read: the patients admin-service says the caller may see (a patient only itself, a
 * practitioner those of the organizations it is a direct member of; no consent needed to see a patient), narrowed
 * by study and organization (403 when the caller may not see them), then filtered by their records.
 */
@ApplicationScoped
public class PatientService {
    private final AccessService access;
    private final DirectoryService directory;

    public PatientService(AccessService access, DirectoryService directory) {
        this.access = access;
        this.directory = directory;
    }

    public Uni<ListPage<Patient>> search(Caller caller, PatientSearch search, SearchRequest request) {
        if (search.otherSource()) {
            return Uni.createFrom().item(new ListPage<>(List.of(), 0, null, null));
        }
        List<List<AccessQuery>> plan = AccessPlan.of(caller.userId(), search.patients(), search.studies(),
                search.organizations());
        List<Uni<Set<Long>>> answers = new ArrayList<>();
        for (List<AccessQuery> anyOf : plan) {
            answers.add(Uni.join().all(anyOf.stream().map(access::visiblePatients).toList()).andFailFast()
                    .map(sets -> {
                        Set<Long> union = new LinkedHashSet<>();
                        sets.forEach(union::addAll);
                        return union;
                    }));
        }
        return Uni.join().all(answers).andFailFast()
                .map(sets -> {
                    Set<Long> visible = new LinkedHashSet<>(sets.get(0));
                    sets.subList(1, sets.size()).forEach(visible::retainAll);
                    return visible;
                })
                .chain(ids -> ids.isEmpty() ? Uni.createFrom().item(List.<PatientRecord>of())
                        : directory.patients(ids).map(records -> List.copyOf(records.values())))
                .map(records -> {
                    List<PatientRecord> matching = records.stream().filter(matches(search)).toList();
                    ListPaging.Order<PatientRecord> order = search.byLastUpdated()
                            ? new ListPaging.Order<>(p -> p.lastUpdated() == null ? null
                                    : String.format("%020d", p.lastUpdated().toInstant().toEpochMilli()),
                                    PatientRecord::id, search.descending())
                            : new ListPaging.Order<>(p -> p.nameFamily() == null ? null
                                    : p.nameFamily().toLowerCase(Locale.ROOT), PatientRecord::id, false);
                    ListPage<PatientRecord> page = ListPaging.page(matching, order, request);
                    return new ListPage<>(page.items().stream().map(PatientMapper::toFhir).toList(), page.total(),
                            page.next(), page.previous());
                });
    }

    static Predicate<PatientRecord> matches(PatientSearch search) {
        return patient -> search.ids().stream().allMatch(any -> any.contains(Long.toString(patient.id())))
                && search.identifiers().stream().allMatch(any -> any.stream().anyMatch((TokenValue token) ->
                        patient.identifiers().stream().anyMatch(i -> token.matches(i.system(), i.value()))))
                && search.families().stream().allMatch(any -> any.stream().anyMatch(p -> startsWith(patient.nameFamily(), p)))
                && search.givens().stream().allMatch(any -> any.stream().anyMatch(p -> startsWith(patient.nameGiven(), p)))
                && search.names().stream().allMatch(any -> any.stream().anyMatch(p ->
                        startsWith(patient.nameFamily(), p) || startsWith(patient.nameGiven(), p)))
                && search.birthdates().stream().allMatch(any -> any.stream()
                        .anyMatch((DateRange r) -> r.matches(patient.birthDate())))
                && search.lastUpdated().stream().allMatch(any -> any.stream()
                        .anyMatch((DateRange r) -> r.matches(patient.lastUpdated())));
    }

    private static boolean startsWith(String value, String prefix) {
        return value != null && value.toLowerCase(Locale.ROOT).startsWith(prefix);
    }

    /** A patient the caller may see; otherwise 404, whether it exists or not. */
    public Uni<Patient> read(Caller caller, String id) {
        Long parsed = PathIds.parse(id);
        if (parsed == null) {
            return Uni.createFrom().failure(notFound(id));
        }
        long patientId = parsed;
        return access.visiblePatients(AccessQuery.of(caller.userId()).withPatient(patientId))
                .onFailure(f -> f instanceof BaseServerResponseException b
                        && (b.getStatusCode() == 403 || b.getStatusCode() == 404))
                .recoverWithItem(Set.of())
                .chain(visible -> visible.contains(patientId) ? directory.patients(List.of(patientId))
                        : Uni.createFrom().failure(notFound(id)))
                .chain(records -> records.containsKey(patientId)
                        ? Uni.createFrom().item(PatientMapper.toFhir(records.get(patientId)))
                        : Uni.createFrom().failure(notFound(id)));
    }

    private static ResourceNotFoundException notFound(String id) {
        return new ResourceNotFoundException("Patient/" + (id.length() > 64 ? id.substring(0, 64) : id)
                + " is not known.");
    }
}
