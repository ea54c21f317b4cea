package org.jupyterhealth.exchange.fhir.access;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Which codes of which patients a user may read, consent included: admin-service's answer to
 * {@code /internal/access/observations}, as a map from patient id to readable codes. It can only be narrowed.
 */
public final class ObservationGrants {
    private static final ObservationGrants NONE = new ObservationGrants(Map.of());

    private final Map<Long, Set<CodeKey>> byPatient;

    private ObservationGrants(Map<Long, Set<CodeKey>> byPatient) {
        this.byPatient = byPatient;
    }

    public static ObservationGrants none() {
        return NONE;
    }

    /** From admin-service's grouped answer; a patient named in several groups gets the union of their codes. */
    public static ObservationGrants of(List<Grant> grants) {
        Map<Long, Set<CodeKey>> byPatient = new LinkedHashMap<>();
        if (grants != null) {
            for (Grant grant : grants) {
                if (grant == null || grant.patientIds() == null || grant.codes() == null) {
                    continue;
                }
                for (Long patient : grant.patientIds()) {
                    if (patient != null) {
                        byPatient.computeIfAbsent(patient, p -> new LinkedHashSet<>()).addAll(grant.codes().stream()
                                .filter(c -> c != null && c.system() != null && c.code() != null).toList());
                    }
                }
            }
        }
        byPatient.values().removeIf(Set::isEmpty);
        return new ObservationGrants(byPatient);
    }

    /** One group of admin-service's answer: patients sharing the same readable codes. */
    public record Grant(List<Long> patientIds, List<CodeKey> codes) {
    }

    /** Admin-service's answer. */
    public record Answer(List<Grant> grants) {
    }

    public boolean isEmpty() {
        return byPatient.isEmpty();
    }

    public Set<Long> patientIds() {
        return Collections.unmodifiableSet(byPatient.keySet());
    }

    public boolean allows(long patientId, String system, String code) {
        Set<CodeKey> codes = byPatient.get(patientId);
        return codes != null && codes.contains(new CodeKey(system, code));
    }

    /** Only the codes that pass {@code keep}. */
    public ObservationGrants retainCodes(Predicate<CodeKey> keep) {
        Map<Long, Set<CodeKey>> narrowed = new LinkedHashMap<>();
        byPatient.forEach((patient, codes) -> {
            Set<CodeKey> kept = new LinkedHashSet<>();
            codes.stream().filter(keep).forEach(kept::add);
            if (!kept.isEmpty()) {
                narrowed.put(patient, kept);
            }
        });
        return new ObservationGrants(narrowed);
    }

    /** Only these patients. */
    public ObservationGrants retainPatients(Set<Long> patients) {
        Map<Long, Set<CodeKey>> narrowed = new LinkedHashMap<>(byPatient);
        narrowed.keySet().retainAll(patients);
        return new ObservationGrants(narrowed);
    }

    /** What both allow (repeated filters AND). */
    public ObservationGrants intersect(ObservationGrants other) {
        Map<Long, Set<CodeKey>> both = new LinkedHashMap<>();
        byPatient.forEach((patient, codes) -> {
            Set<CodeKey> theirs = other.byPatient.get(patient);
            if (theirs != null) {
                Set<CodeKey> kept = new LinkedHashSet<>(codes);
                kept.retainAll(theirs);
                if (!kept.isEmpty()) {
                    both.put(patient, kept);
                }
            }
        });
        return new ObservationGrants(both);
    }

    /** What either allows (comma-separated filter values OR). */
    public ObservationGrants union(ObservationGrants other) {
        Map<Long, Set<CodeKey>> either = new LinkedHashMap<>();
        byPatient.forEach((p, c) -> either.put(p, new LinkedHashSet<>(c)));
        other.byPatient.forEach((p, c) -> either.computeIfAbsent(p, x -> new LinkedHashSet<>()).addAll(c));
        return new ObservationGrants(either);
    }

    /**
     * The grants as parallel arrays for SQL: patients with the index of their code set, and each code set's codes.
     * Patients with the same codes share one code set.
     */
    public Flat flatten() {
        Map<Set<CodeKey>, Integer> sets = new LinkedHashMap<>();
        List<Long> patients = new ArrayList<>();
        List<Integer> patientSets = new ArrayList<>();
        byPatient.forEach((patient, codes) -> {
            patients.add(patient);
            patientSets.add(sets.computeIfAbsent(codes, c -> sets.size()));
        });
        List<Integer> codeSets = new ArrayList<>();
        List<String> systems = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        sets.forEach((set, index) -> set.forEach(code -> {
            codeSets.add(index);
            systems.add(code.system());
            codes.add(code.code());
        }));
        return new Flat(patients.toArray(Long[]::new), patientSets.toArray(Integer[]::new),
                codeSets.toArray(Integer[]::new), systems.toArray(String[]::new), codes.toArray(String[]::new));
    }

    /** See {@link #flatten()}. */
    public record Flat(Long[] patients, Integer[] patientSets, Integer[] codeSets, String[] systems, String[] codes) {
    }
}
