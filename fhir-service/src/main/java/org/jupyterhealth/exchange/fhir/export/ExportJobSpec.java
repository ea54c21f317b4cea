package org.jupyterhealth.exchange.fhir.export;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jupyterhealth.exchange.fhir.access.CodeKey;
import org.jupyterhealth.exchange.fhir.access.ObservationGrants;
import org.jupyterhealth.exchange.fhir.search.TokenValue;

/**
 * What an export writes, fixed at kick-off and kept with the job (as JSON): the types, the window of last update,
 * and the access decision of that moment: the Open mHealth codes readable per patient, the patients whose records
 * are written, and per type of the FHIR resource store the patients whose resources of it may be read. A restarted
 * job writes exactly the same, whatever changed since.
 *
 * @param level        {@code system}, {@code patient} or {@code group}
 * @param types        the resource types written, in the order of the manifest
 * @param since        {@code _since} (ISO instant) or null
 * @param until        {@code _until} (ISO instant) or null
 * @param observations the readable codes per group of patients (admin-service's answer, narrowed)
 * @param patients     the patients whose Patient records are written
 * @param store        per type of the resource store, the patients whose resources of that type are written
 * @param codes        the Observation codes of {@code _typeFilter} ({@code system|code}), or null for all
 * @param ignored      what a lenient kick-off left out, told in the manifest's {@code error} file
 * @param partialManifests {@code allowPartialManifests}: the status lists finished files while the job runs (null,
 *                     in jobs queued before it existed, is false)
 */
public record ExportJobSpec(String level, Long groupId, List<String> types, String since, String until,
        List<ObservationGrants.Grant> observations, List<Long> patients, Map<String, List<Long>> store,
        List<String> codes, List<String> ignored, Boolean partialManifests) {

    /** Whether the status lists the files finished so far while the job runs. */
    boolean listsFilesEarly() {
        return Boolean.TRUE.equals(partialManifests);
    }

    /** The grants as admin-service gives them: patients that share a set of codes, with those codes. */
    static List<ObservationGrants.Grant> grantsOf(ObservationGrants grants) {
        ObservationGrants.Flat flat = grants.flatten();
        Map<Integer, List<Long>> patients = new LinkedHashMap<>();
        for (int i = 0; i < flat.patients().length; i++) {
            patients.computeIfAbsent(flat.patientSets()[i], s -> new ArrayList<>()).add(flat.patients()[i]);
        }
        Map<Integer, List<CodeKey>> codes = new LinkedHashMap<>();
        for (int i = 0; i < flat.codeSets().length; i++) {
            codes.computeIfAbsent(flat.codeSets()[i], s -> new ArrayList<>())
                    .add(new CodeKey(flat.systems()[i], flat.codes()[i]));
        }
        List<ObservationGrants.Grant> list = new ArrayList<>();
        patients.forEach((set, ids) -> list.add(new ObservationGrants.Grant(ids, codes.getOrDefault(set, List.of()))));
        return list;
    }

    /** The codes of {@code _typeFilter}, or null for all. */
    List<TokenValue> codeFilter() {
        return codes == null ? null : codes.stream().map(TokenValue::parse).toList();
    }

    ObservationGrants observationGrants() {
        return ObservationGrants.of(observations);
    }

    /** Every patient whose data the export may contain. */
    List<Long> allPatients() {
        java.util.Set<Long> all = new java.util.LinkedHashSet<>(patients);
        all.addAll(observationGrants().patientIds());
        store.values().forEach(all::addAll);
        return new ArrayList<>(all);
    }
}
