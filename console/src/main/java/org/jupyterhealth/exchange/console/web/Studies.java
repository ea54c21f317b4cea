package org.jupyterhealth.exchange.console.web;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jupyterhealth.exchange.console.api.AdminApi;
import org.jupyterhealth.exchange.console.api.SignedInUser;
import org.jupyterhealth.exchange.console.api.AdminModel.ClientLink;
import org.jupyterhealth.exchange.console.api.AdminModel.Code;
import org.jupyterhealth.exchange.console.api.AdminModel.DataSourceLink;
import org.jupyterhealth.exchange.console.api.AdminModel.Organization;
import org.jupyterhealth.exchange.console.api.AdminModel.Page;
import org.jupyterhealth.exchange.console.api.AdminModel.Patient;
import org.jupyterhealth.exchange.console.api.AdminModel.Profile;
import org.jupyterhealth.exchange.console.api.AdminModel.ScopeRequest;
import org.jupyterhealth.exchange.console.api.AdminModel.Study;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * A study: the types of data it asks for, the data sources and apps linked to it, and its patients a page at a time,
 * all read side by side from the admin API as the user may see them (a study of an organization the user is not in
 * is the API's 404 or 403). A manager or member of the study's organization (or a superuser) also enrols and removes
 * patients and adds and removes the types of data and the data sources; a viewer sees no control, and the admin API
 * checks the role again on every change.
 */
@Path("/console/studies")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class Studies {
    /** The most data sources offered in the form's list (the admin API's largest page). */
    static final int DATA_SOURCE_CHOICES = 1000;
    /** The most patients a look-up by e-mail or name reads to decide which one was meant. */
    static final int LOOKUP = 10;

    private final AdminApi admin;
    private final SignedInUser user;
    private final int pageSize;

    public Studies(@RestClient AdminApi admin, SignedInUser user,
            @ConfigProperty(name = "jhe.console.page-size") int pageSize) {
        this.admin = admin;
        this.user = user;
        this.pageSize = pageSize;
    }

    /** One page of a study's patients, and the addresses of the pages around it. */
    public record PatientPage(Page<Patient> page, int number, int pages, String baseUrl) {
        public String url(int page) {
            return baseUrl + "?page=" + page;
        }
    }

    /** A data source the study may still be linked to, as the form's list shows it. */
    public record DataSourceChoice(long id, String name, String type) {
    }

    /** An app (OAuth client) the study may still be linked to. */
    public record ClientChoice(long id, String name, String clientId) {
    }

    /** What an editor may add: the types of data, data sources and apps not linked yet; none for a viewer. */
    public record Choices(boolean canEdit, List<Code> scopes, List<DataSourceChoice> dataSources,
            List<ClientChoice> clients) {
        static final Choices NONE = new Choices(false, List.of(), List.of(), List.of());
    }

    @CheckedTemplate(basePath = "pages")
    static class Templates {
        static native TemplateInstance study(Profile me, Study study, List<ScopeRequest> scopes,
                List<DataSourceLink> dataSources, List<ClientLink> clients, PatientPage patients, Choices choices,
                String notice, StudyForms form);
    }

    @GET
    @Path("/{id}")
    public Uni<TemplateInstance> study(@PathParam("id") String id, @QueryParam("page") String page,
            @QueryParam("notice") String notice) {
        long studyId = Inputs.id(id, "study id");
        int number = Inputs.page(page, Pages.MAX_PAGE);
        return studyPage(studyId, number, Notices.text(notice), StudyForms.empty());
    }

    private Uni<TemplateInstance> studyPage(long studyId, int number, String notice, StudyForms form) {
        // the reads do not depend on one another: asked at once, the page waits for the slowest only
        return user.known().flatMap(known -> Uni.combine().all().unis(admin.study(studyId),
                admin.scopeRequests(studyId), admin.studyDataSources(studyId), admin.studyClients(studyId),
                admin.studyPatients(studyId, pageSize, (long) (number - 1) * pageSize))
                .asTuple()
                .flatMap(t -> choices(known.profile(), t.getItem1(), known.organizations(), t.getItem2(),
                        t.getItem3(), t.getItem4())
                        .map(choices -> Templates.study(known.profile(), t.getItem1(), t.getItem2(), t.getItem3(),
                                t.getItem4(), new PatientPage(t.getItem5(), number,
                                        (int) Math.max(1, (t.getItem5().count() + pageSize - 1) / pageSize),
                                        "/console/studies/" + studyId),
                                choices, notice, form))));
    }

    /**
     * The controls an editor gets: a superuser, or a manager or member of the study's organization; the codes, data
     * sources and apps are read only for them.
     */
    private Uni<Choices> choices(Profile me, Study study, List<Organization> mine, List<ScopeRequest> requested,
            List<DataSourceLink> linked, List<ClientLink> apps) {
        long organizationId = study.organization() == null ? -1 : study.organization().id();
        boolean canEdit = me.isSuperuser() || mine.stream().anyMatch(o -> o.id() == organizationId
                && ("manager".equals(o.currentUserRole()) || "member".equals(o.currentUserRole())));
        if (!canEdit) {
            return Uni.createFrom().item(Choices.NONE);
        }
        Set<Long> asked = requested.stream().filter(r -> r.scopeCode() != null).map(r -> r.scopeCode().id())
                .collect(Collectors.toSet());
        Set<Long> sources = linked.stream().filter(l -> l.dataSource() != null).map(l -> l.dataSource().id())
                .collect(Collectors.toSet());
        Set<Long> clients = apps.stream().filter(l -> l.client() != null).map(l -> l.client().id())
                .collect(Collectors.toSet());
        return Uni.combine().all().unis(admin.allScopes(), admin.dataSources(DATA_SOURCE_CHOICES, 0),
                admin.clients(DATA_SOURCE_CHOICES, 0)).asTuple()
                .map(t -> new Choices(true,
                        t.getItem1().stream().filter(c -> !asked.contains(c.id())).toList(),
                        t.getItem2().results().stream().filter(d -> d.path("id").canConvertToLong()
                                && !sources.contains(d.path("id").asLong()))
                                .map(d -> new DataSourceChoice(d.path("id").asLong(), d.path("name").asText(""),
                                        d.path("type").asText("")))
                                .toList(),
                        t.getItem3().results().stream().filter(c -> c.path("id").canConvertToLong()
                                && !clients.contains(c.path("id").asLong()))
                                .map(c -> new ClientChoice(c.path("id").asLong(), c.path("name").asText(""),
                                        c.path("clientId").asText("")))
                                .toList()));
    }

    /**
     * Enrols a patient of the study's organization, found by e-mail address or name among that organization's
     * patients (an exact e-mail wins; otherwise exactly one must match). No match, several, or the admin API's
     * refusal (a patient enrolled already) is shown next to the field.
     */
    @POST
    @Path("/{id}/patients")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> enrol(@PathParam("id") String id, @FormParam("patient") String patient) {
        long studyId = Inputs.id(id, "study id");
        String term = StudyForms.patientTerm(patient);
        if (term == null) {
            return refused(studyId, 400, StudyForms.forPatient(patient, patient == null || patient.isBlank()
                    ? "Enter the patient's e-mail address or name."
                    : "Enter an e-mail address or a name of at most " + StudyForms.MAX_PATIENT
                            + " characters."));
        }
        return admin.study(studyId).flatMap(study -> study.organization() == null
                ? refused(studyId, 400, StudyForms.forPatient(term, "This study belongs to no organization."))
                : admin.patients(study.organization().id(), LOOKUP, 0, term, null).flatMap(found -> {
                    List<Patient> exact = found.results().stream()
                            .filter(p -> term.equalsIgnoreCase(p.telecomEmail())).toList();
                    List<Patient> matches = exact.size() == 1 ? exact : found.results();
                    if (matches.isEmpty()) {
                        return refused(studyId, 400, StudyForms.forPatient(term, "No patient of "
                                + study.organization().name() + " matches “" + term + "”."));
                    }
                    if (matches.size() > 1) {
                        return refused(studyId, 400, StudyForms.forPatient(term, found.count()
                                + " patients match: enter the patient's e-mail address."));
                    }
                    return change(studyId, admin.enrolPatients(studyId, new AdminApi.PatientIds(
                            List.of(matches.get(0).id()))), "patient-enrolled",
                            refusal -> StudyForms.forPatient(term, refusal.forField("patientIds")));
                }));
    }

    /** Takes a patient out of the study. */
    @POST
    @Path("/{id}/patients/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> removePatient(@PathParam("id") String id, @FormParam("patientId") String patientId) {
        return unlink(id, patientId, "patient id", error -> StudyForms.forPatient("", error),
                (study, patient) -> admin.removePatients(study, new AdminApi.PatientIds(List.of(patient))),
                "patient-removed");
    }

    /** Asks the study's patients for one more type of data. */
    @POST
    @Path("/{id}/scopes")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> requestScope(@PathParam("id") String id, @FormParam("scopeCodeId") String scopeCodeId) {
        return link(id, scopeCodeId, "scopeCodeId", "Choose a type of data.", StudyForms::forScope,
                (study, code) -> admin.requestScope(study, new AdminApi.ScopeCodeRef(code)), "scope-added");
    }

    /** Stops asking for a type of data. */
    @POST
    @Path("/{id}/scopes/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> withdrawScope(@PathParam("id") String id, @FormParam("scopeCodeId") String scopeCodeId) {
        return unlink(id, scopeCodeId, "type of data", StudyForms::forScope,
                (study, code) -> admin.withdrawScope(study, new AdminApi.ScopeCodeRef(code)), "scope-removed");
    }

    /** Links a data source to the study. */
    @POST
    @Path("/{id}/data-sources")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> linkDataSource(@PathParam("id") String id, @FormParam("dataSourceId") String dataSourceId) {
        return link(id, dataSourceId, "dataSourceId", "Choose a data source.", StudyForms::forDataSource,
                (study, source) -> admin.linkDataSource(study, new AdminApi.DataSourceRef(source)),
                "data-source-added");
    }

    /** Unlinks a data source from the study. */
    @POST
    @Path("/{id}/data-sources/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> unlinkDataSource(@PathParam("id") String id,
            @FormParam("dataSourceId") String dataSourceId) {
        return unlink(id, dataSourceId, "data source", StudyForms::forDataSource,
                (study, source) -> admin.unlinkDataSource(study, new AdminApi.DataSourceRef(source)),
                "data-source-removed");
    }

    /** Links an app (an OAuth client) to the study. */
    @POST
    @Path("/{id}/clients")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> linkClient(@PathParam("id") String id, @FormParam("clientId") String clientId) {
        return link(id, clientId, "clientId", "Choose an app.", StudyForms::forClient,
                (study, client) -> admin.linkClient(study, new AdminApi.ClientRef(client)), "client-added");
    }

    /** Unlinks an app from the study. */
    @POST
    @Path("/{id}/clients/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> unlinkClient(@PathParam("id") String id, @FormParam("clientId") String clientId) {
        return unlink(id, clientId, "app", StudyForms::forClient,
                (study, client) -> admin.unlinkClient(study, new AdminApi.ClientRef(client)), "client-removed");
    }

    /**
     * Links what a form's list offered (a type of data, a data source) to the study: no choice, or one that is not an
     * id, is shown next to the list with {@code choose}; the API's refusal next to it too (its message for
     * {@code apiField}, else its sentence).
     */
    private Uni<Response> link(String id, String chosen, String apiField, String choose,
            Function<String, StudyForms> form, BiFunction<Long, Long, Uni<Void>> call, String notice) {
        long studyId = Inputs.id(id, "study id");
        if (!Inputs.isId(chosen)) {
            return refused(studyId, 400, form.apply(choose));
        }
        return change(studyId, call.apply(studyId, Long.parseLong(chosen)), notice,
                refusal -> form.apply(refusal.forField(apiField)));
    }

    /**
     * Unlinks one item of the study's lists (a patient, a type of data, a data source), named by a hidden field that
     * the page wrote: one that is not an id is bad input ({@code name} says which); the API's refusal is shown at the
     * list's form.
     */
    private Uni<Response> unlink(String id, String item, String name, Function<String, StudyForms> form,
            BiFunction<Long, Long, Uni<Void>> call, String notice) {
        long studyId = Inputs.id(id, "study id");
        long itemId = Inputs.id(item, name);
        return change(studyId, call.apply(studyId, itemId), notice, refusal -> form.apply(refusal.detail()));
    }

    /**
     * A change sent to the admin API: back to the study page with the notice when it is done; the page again with
     * the API's refusal next to the form's field when it refuses what was sent (400, 409). Anything else (403, 404,
     * unreachable) is the error page.
     */
    private Uni<Response> change(long studyId, Uni<Void> call, String notice,
            Function<ApiRefusal, StudyForms> onRefusal) {
        return call.map(done -> Response.seeOther(URI.create("/console/studies/" + studyId + "?notice=" + notice))
                .build())
                .onFailure(ApiRefusal::isRefusal).recoverWithUni(failure -> {
                    ApiRefusal refusal = ApiRefusal.of(failure);
                    return refused(studyId, refusal.status(), onRefusal.apply(refusal));
                });
    }

    private Uni<Response> refused(long studyId, int status, StudyForms form) {
        return studyPage(studyId, 1, null, form).map(page -> FormPages.withStatus(status, page));
    }
}
