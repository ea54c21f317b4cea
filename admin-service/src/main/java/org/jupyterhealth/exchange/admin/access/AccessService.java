package org.jupyterhealth.exchange.admin.access;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.access.AccessRepository.ConsentedCode;
import org.jupyterhealth.exchange.admin.access.AccessRepository.PatientCode;
import org.jupyterhealth.exchange.admin.access.AccessRepository.ScopeFacts;
import org.jupyterhealth.exchange.admin.security.CallerRepository;
import org.jupyterhealth.exchange.admin.web.AdminException.NotFoundException;
import org.jupyterhealth.exchange.admin.web.Errors;

import io.smallrye.mutiny.Uni;

/**
 * Who may read and write which health data (docs/architecture.md#access-decisions), answered in bulk for
 * fhir-service and ingest-service. Only direct memberships count; a superuser is treated like anyone else here
 * (health data only where it is a member). Consent is part of every answer.
 */
@ApplicationScoped
public class AccessService {
    private final AccessRepository access;
    private final CallerRepository callers;

    public AccessService(AccessRepository access, CallerRepository callers) {
        this.access = access;
        this.callers = callers;
    }

    /** The user on whose behalf a service asks: its practitioner and patient records (either may be null). */
    public record Subject(long userId, Long practitionerId, Long patientId) {
    }

    /** Narrowing filters of a query; null means "not filtered". */
    public record Scope(Long organizationId, Long studyId, Long patientId) {
    }

    public record Code(String system, String code) implements Comparable<Code> {
        @Override
        public int compareTo(Code o) {
            int bySystem = system.compareTo(o.system);
            return bySystem != 0 ? bySystem : code.compareTo(o.code);
        }
    }

    public record Grant(List<Long> patientIds, List<Code> codes) {
    }

    public Uni<Subject> subject(Long userId) {
        if (userId == null) {
            return Uni.createFrom().failure(Errors.invalid("userId", "userId is required."));
        }
        return callers.findRecords(userId)
                .map(records -> new Subject(userId, records.practitionerId(), records.patientId()));
    }

    /**
     * 404 when a filter names something that does not exist, 403 when the user may not see it: a practitioner
     * sees organizations it belongs to, studies of those, patients sharing one; a patient only itself and its
     * organizations and studies.
     */
    public Uni<Void> checkScope(Subject subject, Scope scope) {
        return access.findScopeFacts(subject, scope).invoke(facts -> judgeScope(scope, facts)).replaceWithVoid();
    }

    /** Every filter that does not exist is judged before any the user may not see: a 404 says less than a 403. */
    static void judgeScope(Scope scope, ScopeFacts facts) {
        if (!facts.organizationExists()) {
            throw new NotFoundException("Organization/" + scope.organizationId() + " does not exist.");
        }
        if (!facts.studyExists()) {
            throw new NotFoundException("Group/" + scope.studyId() + " does not exist.");
        }
        if (!facts.patientExists()) {
            throw new NotFoundException("Patient/" + scope.patientId() + " does not exist.");
        }
        if (!facts.organizationVisible()) {
            throw Errors.forbidden("Current user is not authorized to access Organization/" + scope.organizationId()
                    + ".");
        }
        if (!facts.studyVisible()) {
            throw Errors.forbidden("Current user is not authorized to access Group/" + scope.studyId() + ".");
        }
        if (!facts.patientVisible()) {
            throw Errors.forbidden("Current user is not authorized to access Patient/" + scope.patientId() + ".");
        }
    }

    /** The ids of the patients the user may see (no consent needed to see a patient record). */
    public Uni<List<Long>> visiblePatients(Subject subject, Scope scope) {
        if (subject.practitionerId() == null) {
            if (subject.patientId() == null) {
                return Uni.createFrom().item(List.of());
            }
            return access.listSelfInScope(subject.patientId(), scope);
        }
        return access.listSharedInScope(subject.practitionerId(), scope);
    }

    /**
     * The (patient, code) pairs the user may read, grouped by identical code sets. A practitioner: patients it
     * shares an organization with, each code the patient consented to in a study of an organization they share
     * (with a study filter: in that study, and requested by it). A patient: itself, every code (with a study
     * filter: the codes that study requests).
     */
    public Uni<List<Grant>> readableObservations(Subject subject, Scope scope) {
        Uni<List<PatientCode>> pairs;
        if (subject.practitionerId() != null) {
            pairs = access.listConsentedToPractitioner(subject.practitionerId(), scope);
        } else if (subject.patientId() != null) {
            pairs = access.listOwnCodes(subject.patientId(), scope);
        } else {
            return Uni.createFrom().item(List.of());
        }
        return pairs.map(AccessService::grants);
    }

    /**
     * A patient's codes merged across its studies (a code consented in any of them counts once), then the patients
     * grouped by identical code sets: the groups in the order of their first patient's id, the patients of a group
     * by id, its codes by system and code.
     */
    static List<Grant> grants(List<PatientCode> pairs) {
        Map<Long, TreeSet<Code>> byPatient = new HashMap<>();
        for (PatientCode pair : pairs) {
            byPatient.computeIfAbsent(pair.patientId(), k -> new TreeSet<>()).add(pair.code());
        }
        Map<Set<Code>, List<Long>> byCodes = new LinkedHashMap<>();
        byPatient.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> byCodes.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(e.getKey()));
        List<Grant> grants = new ArrayList<>();
        byCodes.forEach((codes, patients) -> grants.add(new Grant(patients, new ArrayList<>(codes))));
        return grants;
    }

    // ------------------------------------------------------------------------------------------------ uploads

    public record UploadEntry(Long patientId, String system, String code, Long dataSourceId) {
    }

    public record UploadDecision(int status, String detail, Long codeId) {
    }

    /** What the decisions on one upload are made from, loaded for all its entries at once. */
    record UploadFacts(Map<Long, Boolean> patients, Map<Long, String> sources, Map<Code, Long> codes,
            Set<ConsentedCode> consents) {
    }

    /**
     * Whether the user may upload each entry (docs/compatibility.md#upload-checks, steps 3–6 and 9–10): the patient
     * exists; the uploader is the patient itself or a manager/member practitioner sharing an organization with it; the
     * data source is a known personal device; the code is known; the patient consented to it in at least one study.
     */
    public Uni<List<UploadDecision>> decideUploads(Subject subject, List<UploadEntry> entries) {
        List<Long> patientIds = entries.stream().map(UploadEntry::patientId).filter(Objects::nonNull)
                .distinct().toList();
        List<Long> sourceIds = entries.stream().map(UploadEntry::dataSourceId).filter(Objects::nonNull)
                .distinct().toList();
        return Uni.combine().all().unis(access.findUploadRights(patientIds, subject.practitionerId()),
                access.findDataSourceTypes(sourceIds), access.findCodeIds(), access.findConsentedCodes(patientIds))
                .asTuple().map(t -> {
                    UploadFacts facts = new UploadFacts(t.getItem1(), t.getItem2(), t.getItem3(), t.getItem4());
                    List<UploadDecision> out = new ArrayList<>(entries.size());
                    for (UploadEntry entry : entries) {
                        out.add(decide(subject, entry, facts));
                    }
                    return out;
                });
    }

    /** The system of the FHIR resource store's scopes: one code per resource type. */
    static final String RESOURCE_TYPES = "http://hl7.org/fhir/resource-types";

    static UploadDecision decide(Subject subject, UploadEntry entry, UploadFacts facts) {
        Map<Long, Boolean> patients = facts.patients();
        if (entry.patientId() == null || !patients.containsKey(entry.patientId())) {
            return new UploadDecision(400, "Patient id=" + entry.patientId() + " can not be found.", null);
        }
        boolean self = subject.patientId() != null && subject.patientId().equals(entry.patientId());
        if (!self) {
            if (subject.practitionerId() == null) {
                return new UploadDecision(403, subject.patientId() != null
                        ? "The Subject Patient does not match the current user."
                        : "Current user doesn't have access to the Patient.", null);
            }
            if (!patients.get(entry.patientId())) {
                return new UploadDecision(403, "Current user doesn't have access to the Patient.", null);
            }
        }
        if (entry.dataSourceId() == null) {
            return new UploadDecision(400, "Device is required and must be a reference to a Device ID and start "
                    + "with 'Device/'.", null);
        }
        // a resource of the FHIR resource store is written through a FHIR source, whose data source (a patient app,
        // say) is no device: it must only exist; Open mHealth data comes from a personal device
        boolean storeScope = RESOURCE_TYPES.equals(entry.system());
        if (storeScope ? !facts.sources().containsKey(entry.dataSourceId())
                : !"personal_device".equals(facts.sources().get(entry.dataSourceId()))) {
            return new UploadDecision(400, "Device Data Source id=" + entry.dataSourceId() + " can not be found.",
                    null);
        }
        Long codeId = entry.system() == null || entry.code() == null ? null
                : facts.codes().get(new Code(entry.system(), entry.code()));
        if (codeId == null) {
            return new UploadDecision(400, "Code not found: system=" + shown(entry.system()) + " code="
                    + shown(entry.code()) + ".", null);
        }
        if (!facts.consents().contains(new ConsentedCode(entry.patientId(), codeId))) {
            return new UploadDecision(403, "Observation data with coding_system=" + entry.system() + " coding_code="
                    + entry.code() + " has not been consented for any studies by this Patient.", codeId);
        }
        return new UploadDecision(201, null, codeId);
    }

    /** An uploader's value as a decision repeats it: cut short, since it travels back in the upload's outcome. */
    private static String shown(String value) {
        return value == null || value.length() <= 100 ? value : value.substring(0, 100) + "…";
    }
}
