package org.jupyterhealth.exchange.fhir.access;

import java.util.ArrayList;
import java.util.List;

/**
 * The access questions one search needs. The first occurrence of each filter (patient, study, organization) is
 * asked together, one question per combination of its comma-separated values (OR); each further occurrence of a
 * filter narrows the answer (AND). A search without these filters asks one question: everything the user may see.
 */
public final class AccessPlan {
    private AccessPlan() {
    }

    /** Outer list: answers to intersect; inner lists: questions whose answers are united. */
    public static List<List<AccessQuery>> of(long userId, List<List<Long>> patients, List<List<Long>> studies,
            List<List<Long>> organizations) {
        List<List<AccessQuery>> plan = new ArrayList<>();
        List<AccessQuery> first = new ArrayList<>();
        for (Long organization : firstOrNull(organizations)) {
            for (Long study : firstOrNull(studies)) {
                for (Long patient : firstOrNull(patients)) {
                    first.add(new AccessQuery(userId, organization, study, patient));
                }
            }
        }
        plan.add(first);
        for (List<Long> more : rest(patients)) {
            plan.add(more.stream().map(id -> AccessQuery.of(userId).withPatient(id)).toList());
        }
        for (List<Long> more : rest(studies)) {
            plan.add(more.stream().map(id -> AccessQuery.of(userId).withStudy(id)).toList());
        }
        for (List<Long> more : rest(organizations)) {
            plan.add(more.stream().map(id -> AccessQuery.of(userId).withOrganization(id)).toList());
        }
        return plan;
    }

    private static List<Long> firstOrNull(List<List<Long>> occurrences) {
        if (occurrences.isEmpty()) {
            List<Long> none = new ArrayList<>();
            none.add(null);
            return none;
        }
        return occurrences.get(0);
    }

    private static List<List<Long>> rest(List<List<Long>> occurrences) {
        return occurrences.size() <= 1 ? List.of() : occurrences.subList(1, occurrences.size());
    }
}
