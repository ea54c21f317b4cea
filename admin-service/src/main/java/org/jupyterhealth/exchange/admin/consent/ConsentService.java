package org.jupyterhealth.exchange.admin.consent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.consent.ConsentRepository.Decision;
import org.jupyterhealth.exchange.admin.consent.ConsentRepository.EnrolledStudy;
import org.jupyterhealth.exchange.admin.consent.ConsentRepository.OfStudy;
import org.jupyterhealth.exchange.admin.consent.ConsentRepository.WriterRight;
import org.jupyterhealth.exchange.admin.consent.ConsentRepository.Written;
import org.jupyterhealth.exchange.admin.consent.ConsentResponses.ConsentItem;
import org.jupyterhealth.exchange.admin.consent.ConsentResponses.Consents;
import org.jupyterhealth.exchange.admin.consent.ConsentResponses.DataSourceScopes;
import org.jupyterhealth.exchange.admin.consent.ConsentResponses.DecidedStudy;
import org.jupyterhealth.exchange.admin.consent.ConsentResponses.PendingStudy;
import org.jupyterhealth.exchange.admin.consent.ConsentResponses.Recorded;
import org.jupyterhealth.exchange.admin.consent.ConsentResponses.Reset;
import org.jupyterhealth.exchange.admin.consent.ConsentResponses.ScopeDecision;
import org.jupyterhealth.exchange.admin.consent.ConsentResponses.StudyPatient;
import org.jupyterhealth.exchange.admin.datasource.CodeResponse;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.event.Events;
import org.jupyterhealth.exchange.admin.patient.PatientRepository;
import org.jupyterhealth.exchange.admin.patient.PatientResponse;
import org.jupyterhealth.exchange.admin.security.Caller;
import org.jupyterhealth.exchange.admin.security.Permissions;
import org.jupyterhealth.exchange.admin.web.AdminException.NotFoundException;
import org.jupyterhealth.exchange.admin.web.AdminException.PermissionDeniedException;
import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.admin.web.TextRules;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * A patient's consents per study and data type (docs/compatibility.md#consents). Reading: the patient itself or a
 * practitioner sharing an organization with it. Changing: the patient itself, a superuser, or a manager/member of the
 * study's organization who shares it with the patient. Every change is published ({@code CONSENT_CHANGED}), so that
 * readers' cached access decisions are dropped at once.
 */
@ApplicationScoped
public class ConsentService {
    static final String PATIENT_MISMATCH = "The Patient does not match the current patient user.";
    static final String PRACTITIONER_NOT_AUTHORIZED = "This Practitioner not authorized to access this Patient";
    static final String ROLE_NOT_VALID = "Practitioner role is not valid.";
    private static final String REQUIRED = "This field is required.";

    private final Db db;
    private final ConsentRepository consents;
    private final PatientRepository patients;
    private final Permissions permissions;
    private final Events events;

    public ConsentService(Db db, ConsentRepository consents, PatientRepository patients, Permissions permissions,
            Events events) {
        this.db = db;
        this.consents = consents;
        this.patients = patients;
        this.permissions = permissions;
        this.events = events;
    }

    private record ScopeConsent(String codingSystem, String codingCode, Boolean consented) {
    }

    private record StudyScopeConsents(long studyId, List<ScopeConsent> scopeConsents) {
    }

    /**
     * The decisions a body asks for, judged item by item in the order given: the first item that lacks its
     * {@code studyId}, coding or (where {@code needsConsented}) {@code consented} is the 400, naming the item's field.
     */
    private static List<StudyScopeConsents> request(ConsentsRequest body, boolean needsConsented) {
        if (body.studyScopeConsents() == null) {
            throw Errors.invalid("studyScopeConsents", REQUIRED);
        }
        List<StudyScopeConsents> out = new ArrayList<>();
        for (int i = 0; i < body.studyScopeConsents().size(); i++) {
            ConsentsRequest.StudyScopeConsents study = body.studyScopeConsents().get(i);
            String path = "studyScopeConsents[" + i + "]";
            if (study.studyId() == null) {
                throw TextRules.invalid(path + ".studyId", REQUIRED);
            }
            List<ScopeConsent> scopes = new ArrayList<>();
            List<ConsentsRequest.ScopeConsent> given = study.scopeConsents() == null ? List.of()
                    : study.scopeConsents();
            for (int j = 0; j < given.size(); j++) {
                ConsentsRequest.ScopeConsent scope = given.get(j);
                String scopePath = path + ".scopeConsents[" + j + "]";
                String system = required(scopePath + ".codingSystem", scope.codingSystem());
                String code = required(scopePath + ".codingCode", scope.codingCode());
                if (needsConsented && scope.consented() == null) {
                    throw Errors.invalid("consented", REQUIRED);
                }
                scopes.add(new ScopeConsent(system, code, scope.consented()));
            }
            out.add(new StudyScopeConsents(study.studyId(), scopes));
        }
        return out;
    }

    private static String required(String path, String value) {
        if (value == null || value.isBlank()) {
            throw TextRules.invalid(path, REQUIRED);
        }
        return value.trim();
    }

    // ------------------------------------------------------------------------------------------------ read

    private Uni<Void> requireReader(Caller caller, long patientId) {
        return patients.exists(db.client(), patientId).flatMap(exists -> {
            if (caller.isPatient()) {
                if (caller.patientId() != patientId) {
                    return Uni.createFrom().failure(new PermissionDeniedException(PATIENT_MISMATCH));
                }
                return Uni.createFrom().voidItem();
            }
            if (!exists) {
                return Uni.createFrom().failure(Errors.notFound("Patient"));
            }
            return permissions.sharesOrganizationWithPatient(caller, patientId).invoke(shares -> {
                if (!shares) {
                    throw new PermissionDeniedException(PRACTITIONER_NOT_AUTHORIZED);
                }
            }).replaceWithVoid();
        });
    }

    public Uni<Consents> consents(Caller caller, long patientId) {
        return requireReader(caller, patientId).chain(() -> patients.findById(patientId)).flatMap(patient -> Uni
                .combine().all().unis(consents.listEnrolledStudies(patientId), consents.listPending(patientId),
                        consents.listDecisions(patientId), consents.listDataSources(patientId))
                .asTuple().map(t -> consolidate(patient, t.getItem1(), t.getItem2(), t.getItem3(), t.getItem4())));
    }

    /**
     * A patient's consents as the API answers them: its per-study, per-code decisions merged into
     * {@code consolidatedConsentedScopes} (each code consented to in at least one study, once, in the order of its
     * first decision; a refusal in one study does not take back a consent given in another), the studies with
     * codes still undecided, and the studies with decisions, each in the order of the enrolments.
     */
    static Consents consolidate(PatientResponse patient, List<EnrolledStudy> enrolled,
            List<OfStudy<CodeResponse>> undecided, List<OfStudy<Decision>> decisions,
            List<OfStudy<DataSourceScopes>> sources) {
        Map<Long, List<ScopeDecision>> pending = new LinkedHashMap<>();
        for (OfStudy<CodeResponse> code : undecided) {
            pending.computeIfAbsent(code.studyId(), k -> new ArrayList<>()).add(new ScopeDecision(code.value(), null,
                    null));
        }
        Map<Long, List<ScopeDecision>> decided = new LinkedHashMap<>();
        Map<Long, CodeResponse> consolidated = new LinkedHashMap<>();
        for (OfStudy<Decision> decision : decisions) {
            Decision d = decision.value();
            decided.computeIfAbsent(decision.studyId(), k -> new ArrayList<>())
                    .add(new ScopeDecision(d.code(), d.consented(), d.consentedTime()));
            if (d.consented()) {
                consolidated.putIfAbsent(d.code().id(), d.code());
            }
        }
        Map<Long, List<DataSourceScopes>> dataSources = new LinkedHashMap<>();
        for (OfStudy<DataSourceScopes> source : sources) {
            dataSources.computeIfAbsent(source.studyId(), k -> new ArrayList<>()).add(source.value());
        }
        List<PendingStudy> studiesPending = new ArrayList<>();
        List<DecidedStudy> studiesDecided = new ArrayList<>();
        for (EnrolledStudy s : enrolled) {
            List<DataSourceScopes> studySources = dataSources.getOrDefault(s.id(), List.of());
            if (pending.containsKey(s.id())) {
                studiesPending.add(new PendingStudy(s.id(), s.name(), s.description(), s.organization(),
                        s.iconUrl(), studySources, pending.get(s.id())));
            }
            if (decided.containsKey(s.id())) {
                studiesDecided.add(new DecidedStudy(s.id(), s.name(), s.description(), s.organization(),
                        s.iconUrl(), studySources, decided.get(s.id())));
            }
        }
        return new Consents(patient, new ArrayList<>(consolidated.values()), studiesPending, studiesDecided);
    }

    // ------------------------------------------------------------------------------------------------ write

    /** Checks the caller may change the patient's consents in these studies. */
    private Uni<Void> requireWriter(Caller caller, long patientId, Set<Long> studyIds) {
        return patients.exists(db.client(), patientId).flatMap(exists -> {
            if (caller.isPatient() && caller.patientId() == patientId) {
                return Uni.createFrom().voidItem();
            }
            if (caller.isPatient() && !caller.isPractitioner()) {
                return Uni.createFrom().failure(new PermissionDeniedException(PATIENT_MISMATCH));
            }
            if (!exists) {
                return Uni.createFrom().failure(Errors.notFound("Patient"));
            }
            if (caller.superuser()) {
                return Uni.createFrom().voidItem();
            }
            return consents.listWriterRights(caller.practitionerId(), patientId, studyIds)
                    .invoke(ConsentService::judgeWriterRights).replaceWithVoid();
        });
    }

    /**
     * A practitioner changes a patient's consents in these studies only as a manager or member of each study's
     * organization, the patient being a member of it too; a viewer's role is not valid for it.
     */
    static void judgeWriterRights(List<WriterRight> rights) {
        for (WriterRight right : rights) {
            if (right.role() == null || !right.shared()) {
                throw new PermissionDeniedException(PRACTITIONER_NOT_AUTHORIZED);
            }
            if (!Permissions.MANAGER.equals(right.role()) && !Permissions.MEMBER.equals(right.role())) {
                throw new PermissionDeniedException(ROLE_NOT_VALID);
            }
        }
    }

    /** The enrolment and code ids of each requested consent; 400 for what does not exist. */
    private record Target(long studyId, long studyPatientId, CodeResponse code, Boolean consented) {
    }

    private Uni<List<Target>> resolve(SqlClient client, long patientId, List<StudyScopeConsents> request,
            boolean mustBeRequested) {
        Uni<List<Target>> chain = Uni.createFrom().item(new ArrayList<>());
        for (StudyScopeConsents study : request) {
            chain = chain.flatMap(acc -> consents.findEnrolmentId(client, study.studyId(), patientId)
                    .flatMap(studyPatientId -> {
                        if (studyPatientId == null) {
                            return Uni.createFrom().failure(Errors.invalid("studyId", "Patient " + patientId
                                    + " is not enrolled in study " + study.studyId() + "."));
                        }
                        Uni<List<Target>> inner = Uni.createFrom().item(acc);
                        for (ScopeConsent scope : study.scopeConsents()) {
                            inner = inner.flatMap(list -> consents.findCode(client, scope.codingSystem(),
                                    scope.codingCode(), study.studyId())
                                    .map(found -> {
                                        if (found == null) {
                                            throw Errors.invalid("codingCode", "Code " + scope.codingSystem() + "|"
                                                    + scope.codingCode() + " does not exist.");
                                        }
                                        if (mustBeRequested && !found.requested()) {
                                            throw Errors.invalid("codingCode", "Study " + study.studyId()
                                                    + " does not request code " + scope.codingSystem() + "|"
                                                    + scope.codingCode() + ".");
                                        }
                                        list.add(new Target(study.studyId(), studyPatientId, found.code(),
                                                scope.consented()));
                                        return list;
                                    }));
                        }
                        return inner;
                    }));
        }
        return chain;
    }

    private static Set<Long> studies(List<StudyScopeConsents> request) {
        Set<Long> ids = new LinkedHashSet<>();
        request.forEach(s -> ids.add(s.studyId()));
        return ids;
    }

    private Uni<Void> published(SqlClient tx, long patientId, List<Long> studyIds) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Long studyId : new LinkedHashSet<>(studyIds)) {
            chain = chain.chain(() -> events.consentChanged(tx, patientId, studyId));
        }
        return chain;
    }

    private static List<Long> studyIds(List<Target> targets) {
        return targets.stream().map(Target::studyId).toList();
    }

    private static ConsentItem item(Written written, Target target, long patientId) {
        return new ConsentItem(written.id(), new StudyPatient(target.studyPatientId(), target.studyId(), patientId),
                target.code(), target.consented(), written.consentedTime());
    }

    /** POST: records new decisions (timezone-aware time of now); one already recorded is a 409. */
    public Uni<Recorded> recordConsents(Caller caller, long patientId, ConsentsRequest body) {
        List<StudyScopeConsents> request = request(body, true);
        return requireWriter(caller, patientId, studies(request)).chain(() -> db.inTransaction(tx ->
                resolve(tx, patientId, request, true).flatMap(targets -> {
                    Uni<List<ConsentItem>> chain = Uni.createFrom().item(new ArrayList<>());
                    for (Target target : targets) {
                        chain = chain.flatMap(out -> consents.insert(tx, target.studyPatientId(), target.code().id(),
                                target.consented())
                                .map(written -> {
                                    if (written == null) {
                                        throw Errors.conflict("A consent for " + target.code().codingCode()
                                                + " in study " + target.studyId()
                                                + " is already recorded; change it with PATCH.");
                                    }
                                    out.add(item(written, target, patientId));
                                    return out;
                                }));
                    }
                    return chain.call(out -> published(tx, patientId, studyIds(targets)));
                }))).map(Recorded::new);
    }

    /** PATCH: changes recorded decisions; one never recorded is a 404. */
    public Uni<Recorded> changeConsents(Caller caller, long patientId, ConsentsRequest body) {
        List<StudyScopeConsents> request = request(body, true);
        return requireWriter(caller, patientId, studies(request)).chain(() -> db.inTransaction(tx ->
                resolve(tx, patientId, request, false).flatMap(targets -> {
                    Uni<List<ConsentItem>> chain = Uni.createFrom().item(new ArrayList<>());
                    for (Target target : targets) {
                        chain = chain.flatMap(out -> consents.update(tx, target.studyPatientId(), target.code().id(),
                                target.consented())
                                .map(written -> {
                                    if (written == null) {
                                        throw new NotFoundException("No consent for " + target.code().codingCode()
                                                + " in study " + target.studyId() + " is recorded yet; use POST.");
                                    }
                                    out.add(item(written, target, patientId));
                                    return out;
                                }));
                    }
                    return chain.call(out -> published(tx, patientId, studyIds(targets)));
                }))).map(Recorded::new);
    }

    /** DELETE: forgets decisions (the scope is pending again). */
    public Uni<Void> withdrawConsents(Caller caller, long patientId, ConsentsRequest body) {
        List<StudyScopeConsents> request = request(body, false);
        return requireWriter(caller, patientId, studies(request)).chain(() -> db.inTransaction(tx ->
                resolve(tx, patientId, request, false).flatMap(targets -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Target target : targets) {
                        chain = chain.chain(() -> consents.delete(tx, target.studyPatientId(), target.code().id())
                                .replaceWithVoid());
                    }
                    return chain.chain(() -> published(tx, patientId, studyIds(targets)));
                })));
    }

    /** {@code ?reset=true}: deletes every consent of the patient (the patient itself or a superuser). */
    public Uni<Reset> reset(Caller caller, long patientId) {
        boolean self = caller.isPatient() && caller.patientId() == patientId;
        if (!self && !caller.superuser()) {
            return Uni.createFrom().failure(Errors.forbidden());
        }
        return db.inTransaction(tx -> consents.deleteAllOfPatient(tx, patientId)
                .call(studyIds -> published(tx, patientId, studyIds)))
                .map(deleted -> new Reset(deleted.size()));
    }
}
