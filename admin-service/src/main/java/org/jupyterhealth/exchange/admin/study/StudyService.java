package org.jupyterhealth.exchange.admin.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.config.AdminConfig;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.organization.OrganizationRepository;
import org.jupyterhealth.exchange.admin.patient.PatientRepository;
import org.jupyterhealth.exchange.admin.patient.PatientResponse;
import org.jupyterhealth.exchange.admin.patient.PatientService;
import org.jupyterhealth.exchange.admin.security.Caller;
import org.jupyterhealth.exchange.admin.security.Permissions;
import org.jupyterhealth.exchange.admin.study.StudyLinks.ClientLink;
import org.jupyterhealth.exchange.admin.study.StudyLinks.DataSourceLink;
import org.jupyterhealth.exchange.admin.study.StudyLinks.Enrolment;
import org.jupyterhealth.exchange.admin.study.StudyLinks.Enrolments;
import org.jupyterhealth.exchange.admin.study.StudyLinks.NewClientLink;
import org.jupyterhealth.exchange.admin.study.StudyLinks.NewDataSourceLink;
import org.jupyterhealth.exchange.admin.study.StudyLinks.ScopeRequest;
import org.jupyterhealth.exchange.admin.study.StudyRepository.EnrolmentState;
import org.jupyterhealth.exchange.admin.study.StudyRepository.Link;
import org.jupyterhealth.exchange.admin.study.StudyRepository.NewEnrolment;
import org.jupyterhealth.exchange.admin.web.AdminException.PermissionDeniedException;
import org.jupyterhealth.exchange.admin.web.AdminException.ValidationException;
import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;
import org.jupyterhealth.exchange.admin.web.UrlRules;

import io.smallrye.mutiny.Uni;

/**
 * Studies and their sub-resources (docs/compatibility.md#studies). Every write checks the manager or member role in the
 * study's organization (docs/compatibility.md#missing-permission-checks); duplicates and unknown ids are 4xx, never 500
 * (docs/compatibility.md#server-errors).
 */
@ApplicationScoped
public class StudyService {
    public static final String NOT_AUTHORIZED = "Current User does not have authorization to access this Study.";
    private static final String REQUIRED = "This field is required.";

    private final Db db;
    private final StudyRepository studies;
    private final OrganizationRepository organizations;
    private final Permissions permissions;
    private final PatientRepository patients;
    private final PatientService patientService;
    private final AdminConfig config;

    public StudyService(Db db, StudyRepository studies, OrganizationRepository organizations,
            Permissions permissions, PatientRepository patients, PatientService patientService, AdminConfig config) {
        this.db = db;
        this.studies = studies;
        this.organizations = organizations;
        this.permissions = permissions;
        this.patients = patients;
        this.patientService = patientService;
        this.config = config;
    }

    /** What a create or update sets; null fields are not given, except the icon, which {@code iconUrlGiven} tells. */
    private record StudyChange(String name, String description, Long organizationId, String iconUrl,
            boolean iconUrlGiven) {
    }

    /** The body's values, the icon URL judged by the rules of stored URLs; an empty one clears the icon. */
    private StudyChange change(StudyRequest request) {
        String iconUrl = request.iconUrl() == null ? null : request.iconUrl().orElse(null);
        if (iconUrl != null && iconUrl.isBlank()) {
            iconUrl = null;
        } else if (iconUrl != null) {
            iconUrl = UrlRules.check("iconUrl", iconUrl, config.allowLocalHttpUrls());
        }
        return new StudyChange(request.name(), request.description(), request.organizationGiven(), iconUrl,
                request.iconUrl() != null);
    }

    // ------------------------------------------------------------------------------------------------ studies

    public Uni<Page<StudyResponse>> listStudies(Caller caller, Long organizationId, PageRequest page) {
        Uni<Void> sticky = caller.practitionerId() == null ? Uni.createFrom().voidItem()
                : patientService.rememberSelection(caller.practitionerId(), organizationId, null, false);
        return sticky.chain(() -> studies.countVisible(caller.superuser(), caller.practitionerId(),
                caller.patientId(), organizationId)).flatMap(count -> {
                    PageRequest resolved = page.resolve(count);
                    return studies.listVisible(caller.superuser(), caller.practitionerId(), caller.patientId(),
                            organizationId, resolved.offset(), resolved.limit())
                            .map(rows -> resolved.page(count, rows));
                });
    }

    private Uni<StudyResponse> find(long id) {
        return studies.findById(id).invoke(study -> {
            if (study == null) {
                throw Errors.notFound("Study");
            }
        });
    }

    /** A study the caller may see: superusers any, practitioners of its organization, patients enrolled in it. */
    public Uni<StudyResponse> study(Caller caller, long id) {
        return find(id).call(study -> studies.isVisible(caller.superuser(), caller.practitionerId(),
                caller.patientId(), id)
                .invoke(visible -> {
                    if (!visible) {
                        throw new PermissionDeniedException(NOT_AUTHORIZED);
                    }
                }));
    }

    /** A study the caller may change: manager or member of its organization, or superuser. */
    private Uni<StudyResponse> editable(Caller caller, long id) {
        return find(id).call(study -> permissions.require(caller, study.organizationId(), Permissions.EDITORS));
    }

    public Uni<StudyResponse> createStudy(Caller caller, StudyRequest request) {
        StudyChange change = change(request);
        validate(change, true);
        return permissions.require(caller, change.organizationId(), Permissions.EDITORS)
                .chain(() -> organizations.exists(db.client(), change.organizationId()))
                .invoke(exists -> {
                    if (!exists) {
                        throw Errors.invalid("organization", "Organization " + change.organizationId()
                                + " does not exist.");
                    }
                })
                .chain(() -> db.inTransaction(tx -> studies.insert(tx, change.name().trim(), change.description(),
                        change.organizationId(), change.iconUrl())))
                .flatMap(this::find);
    }

    public Uni<StudyResponse> updateStudy(Caller caller, long id, StudyRequest request, boolean partial) {
        StudyChange change = change(request);
        validate(change, !partial);
        return editable(caller, id).call(current -> change.organizationId() == null
                || change.organizationId() == current.organizationId() ? Uni.createFrom().voidItem()
                        : permissions.require(caller, change.organizationId(), Permissions.EDITORS))
                .chain(() -> db.inTransaction(tx -> studies.update(tx, id, change.name(), change.description(),
                        change.organizationId(), change.iconUrl(), change.iconUrlGiven() || !partial)))
                .chain(() -> find(id));
    }

    public Uni<Void> deleteStudy(Caller caller, long id) {
        return editable(caller, id).chain(() -> db.inTransaction(tx -> studies.delete(tx, id))).replaceWithVoid();
    }

    /**
     * What a create or a replacement must carry (a name that is not blank, a description, the organization), and
     * what an update names (a name that is not blank); the {@code detail} names the first field missing.
     */
    private static void validate(StudyChange change, boolean required) {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        if (required || change.name() != null) {
            if (change.name() == null || change.name().isBlank()) {
                errors.put("name", List.of(REQUIRED));
            }
        }
        if (required || change.description() != null) {
            if (change.description() == null) {
                errors.put("description", List.of(REQUIRED));
            }
        }
        if (required && change.organizationId() == null) {
            errors.put("organization", List.of(REQUIRED));
        }
        if (!errors.isEmpty()) {
            var first = errors.entrySet().iterator().next();
            throw new ValidationException(first.getKey() + ": " + first.getValue().get(0), errors);
        }
    }

    // ------------------------------------------------------------------------------------------------ patients

    /** The enrolled patients, for practitioners of the study's organization (others get an empty page). */
    public Uni<Page<PatientResponse>> enrolledPatients(Caller caller, long id, PageRequest page) {
        return find(id).flatMap(study -> caller.practitionerId() == null ? Uni.createFrom().item(false)
                : studies.isPractitionerOf(caller.practitionerId(), study.organizationId()))
                .flatMap(member -> {
                    if (!member) {
                        return Uni.createFrom().item(page.page(0, List.<PatientResponse>of()));
                    }
                    return studies.countEnrolled(id).flatMap(count -> {
                        PageRequest resolved = page.resolve(count);
                        return studies.listEnrolledIds(id, resolved.offset(), resolved.limit())
                                .flatMap(patients::findByIds).map(rows -> resolved.page(count, rows));
                    });
                });
    }

    /** Enrols patients of the study's organization (managers and members). */
    public Uni<Enrolments> enrolPatients(Caller caller, long id, PatientIdsRequest request) {
        List<Long> patientIds = request.ids();
        if (patientIds.isEmpty()) {
            return Uni.createFrom().failure(Errors.invalid("patientIds", REQUIRED));
        }
        return editable(caller, id).flatMap(study -> studies.listEnrolmentStates(patientIds, study.organizationId(),
                id)
                .flatMap(states -> {
                    Map<Long, EnrolmentState> byId = new LinkedHashMap<>();
                    states.forEach(s -> byId.put(s.patientId(), s));
                    for (Long patientId : patientIds) {
                        EnrolmentState state = byId.get(patientId);
                        if (state == null) {
                            return Uni.createFrom().failure(Errors.invalid("patientIds",
                                    "Patient " + patientId + " does not exist."));
                        }
                        if (!state.member()) {
                            return Uni.createFrom().failure(Errors.invalid("patientIds", "Patient " + patientId
                                    + " is not a member of the study's organization."));
                        }
                        if (state.enrolled()) {
                            return Uni.createFrom().failure(Errors.conflict("Patient " + patientId
                                    + " is already enrolled in study " + id + "."));
                        }
                    }
                    if (patientIds.stream().distinct().count() < patientIds.size()) {
                        return Uni.createFrom().failure(Errors.invalid("patientIds", "A patient is listed twice."));
                    }
                    return db.inTransaction(tx -> studies.insertEnrolments(tx, id, patientIds))
                            .flatMap(created -> patients.findByIds(patientIds).map(records -> {
                                Map<Long, PatientResponse> byPatient = new LinkedHashMap<>();
                                records.forEach(p -> byPatient.put(p.id(), p));
                                List<Enrolment> out = new ArrayList<>();
                                for (NewEnrolment e : created) {
                                    out.add(new Enrolment(e.id(), study, byPatient.get(e.patientId())));
                                }
                                return new Enrolments(out);
                            }));
                }));
    }

    public Uni<Void> removePatients(Caller caller, long id, PatientIdsRequest request) {
        List<Long> patientIds = request.ids();
        if (patientIds.isEmpty()) {
            return Uni.createFrom().failure(Errors.invalid("patientIds", REQUIRED));
        }
        return editable(caller, id).chain(() -> db.inTransaction(tx -> studies.deleteEnrolments(tx, id, patientIds)))
                .replaceWithVoid();
    }

    // ------------------------------------------------------------------------------------------------ scopes

    public Uni<List<ScopeRequest>> scopeRequests(Caller caller, long id) {
        return study(caller, id).flatMap(study -> studies.listScopeRequests(id).map(rows -> rows.stream()
                .map(r -> new ScopeRequest(r.id(), StudySummary.of(study), r.code())).toList()));
    }

    public Uni<ScopeRequest> requestScope(Caller caller, long id, ScopeCodeRequest request) {
        Long codeId = request.scopeCodeId();
        if (codeId == null) {
            return Uni.createFrom().failure(Errors.invalid("scopeCodeId", "scope_code_id is required."));
        }
        return editable(caller, id).flatMap(study -> studies.findCode(codeId)
                .flatMap(code -> {
                    if (code == null) {
                        return Uni.createFrom().failure(Errors.invalid("scopeCodeId",
                                "Code " + codeId + " does not exist."));
                    }
                    return db.inTransaction(tx -> studies.insertScopeRequest(tx, id, codeId))
                            .map(newId -> {
                                if (newId == null) {
                                    throw Errors.conflict("Study " + id + " already requests code " + codeId + ".");
                                }
                                return new ScopeRequest(newId, StudySummary.of(study), code);
                            });
                }));
    }

    public Uni<Void> withdrawScope(Caller caller, long id, ScopeCodeRequest request) {
        Long codeId = request.scopeCodeId();
        if (codeId == null) {
            return Uni.createFrom().failure(Errors.invalid("scopeCodeId", "scope_code_id is required."));
        }
        return editable(caller, id).chain(() -> db.inTransaction(tx -> studies.deleteScopeRequest(tx, id, codeId)))
                .replaceWithVoid();
    }

    // ------------------------------------------------------------------------------------------------ links

    public Uni<List<ClientLink>> clients(Caller caller, long id) {
        return study(caller, id).flatMap(study -> studies.listClients(id).map(rows -> rows.stream()
                .map(l -> new ClientLink(l.id(), StudySummary.of(study), l.target())).toList()));
    }

    public Uni<List<DataSourceLink>> dataSources(Caller caller, long id) {
        return study(caller, id).flatMap(study -> studies.listDataSources(id).map(rows -> rows.stream()
                .map(l -> new DataSourceLink(l.id(), StudySummary.of(study), l.target())).toList()));
    }

    /** Links a patient app (by its number) to the study. */
    public Uni<NewClientLink> linkClient(Caller caller, long id, ClientLinkRequest request) {
        Long clientId = request.clientId();
        return link(caller, id, Link.CLIENT, "clientId", "Client", clientId)
                .map(newId -> new NewClientLink(newId, id, clientId));
    }

    public Uni<NewDataSourceLink> linkDataSource(Caller caller, long id, DataSourceLinkRequest request) {
        Long dataSourceId = request.dataSourceId();
        return link(caller, id, Link.DATA_SOURCE, "dataSourceId", "Data source", dataSourceId)
                .map(newId -> new NewDataSourceLink(newId, id, dataSourceId));
    }

    public Uni<Void> unlinkClient(Caller caller, long id, ClientLinkRequest request) {
        return unlink(caller, id, Link.CLIENT, "clientId", request.clientId());
    }

    public Uni<Void> unlinkDataSource(Caller caller, long id, DataSourceLinkRequest request) {
        return unlink(caller, id, Link.DATA_SOURCE, "dataSourceId", request.dataSourceId());
    }

    private Uni<Long> link(Caller caller, long id, Link link, String field, String noun, Long targetId) {
        if (targetId == null) {
            return Uni.createFrom().failure(Errors.invalid(field, field + " is required."));
        }
        return editable(caller, id).chain(() -> studies.linkTargetExists(link, targetId))
                .invoke(exists -> {
                    if (!exists) {
                        throw Errors.invalid(field, noun + " " + targetId + " does not exist.");
                    }
                })
                .chain(() -> db.inTransaction(tx -> studies.insertLink(tx, link, id, targetId)))
                .invoke(newId -> {
                    if (newId == null) {
                        throw Errors.conflict(noun + " " + targetId + " is already linked to study " + id + ".");
                    }
                });
    }

    private Uni<Void> unlink(Caller caller, long id, Link link, String field, Long targetId) {
        if (targetId == null) {
            return Uni.createFrom().failure(Errors.invalid(field, field + " is required."));
        }
        return editable(caller, id).chain(() -> db.inTransaction(tx -> studies.deleteLink(tx, link, id, targetId)))
                .replaceWithVoid();
    }
}
