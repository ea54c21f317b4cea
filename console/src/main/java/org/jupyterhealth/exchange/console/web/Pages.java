package org.jupyterhealth.exchange.console.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jupyterhealth.exchange.console.api.AdminApi;
import org.jupyterhealth.exchange.console.api.AdminModel.Code;
import org.jupyterhealth.exchange.console.api.AdminModel.ConsentsView;
import org.jupyterhealth.exchange.console.api.AdminModel.Member;
import org.jupyterhealth.exchange.console.api.AdminModel.Organization;
import org.jupyterhealth.exchange.console.api.AdminModel.Page;
import org.jupyterhealth.exchange.console.api.AdminModel.Patient;
import org.jupyterhealth.exchange.console.api.AdminModel.Profile;
import org.jupyterhealth.exchange.console.api.AdminModel.Study;
import org.jupyterhealth.exchange.console.api.FhirApi;
import org.jupyterhealth.exchange.console.api.SignedInUser;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * The console's pages. Each one asks the public APIs with the signed-in user's token and renders what they answer;
 * what a user may see or change is decided there, and the pages only leave out the controls a role cannot use.
 */
@Path("/console")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class Pages {
    /** Longest search term / page number accepted from the address bar; anything else is refused as bad input. */
    static final int MAX_PAGE = 1_000_000;

    private final AdminApi admin;
    private final FhirApi fhir;
    private final SignedInUser user;
    private final int pageSize;

    public Pages(@RestClient AdminApi admin, @RestClient FhirApi fhir, SignedInUser user,
            @ConfigProperty(name = "jhe.console.page-size") int pageSize) {
        this.admin = admin;
        this.fhir = fhir;
        this.user = user;
        this.pageSize = pageSize;
    }

    @CheckedTemplate(basePath = "pages")
    static class Templates {
        static native TemplateInstance profile(Profile me, List<Organization> organizations, Patient record);

        static native TemplateInstance organizations(Profile me, List<Organization> roots);

        static native TemplateInstance organization(Profile me, Organization organization, List<Member> members,
                List<Study> studies, boolean canManage, String notice, MemberForm form);

        static native TemplateInstance patients(Profile me, Organization organization, Page<Patient> page,
                PatientListing listing, boolean htmx, boolean canAdd, PatientForm form);

        static native TemplateInstance patient(Profile me, Patient patient, ConsentsView consents,
                Long observations, List<Code> codes, ConsentRights rights, String notice);

        static native TemplateInstance signedOut();
    }

    /** A practitioner's profile and organizations; a patient's own record and the way to its access report. */
    @GET
    public Uni<TemplateInstance> profile() {
        return user.known().flatMap(known -> known.profile().isPatient()
                ? admin.me().map(record -> Templates.profile(known.profile(), List.of(), record))
                : Uni.createFrom().item(Templates.profile(known.profile(), known.organizations(), null)));
    }

    @GET
    @Path("/organizations")
    public Uni<TemplateInstance> organizations() {
        return user.known().flatMap(known -> roots(known.organizations())
                .map(roots -> Templates.organizations(known.profile(), roots)));
    }

    /**
     * The trees the user's organizations belong to, each from its topmost organization the user is in: an
     * organization whose parent is also the user's is shown inside its parent's tree, not again at the top.
     */
    private Uni<List<Organization>> roots(List<Organization> mine) {
        Set<Long> ids = new HashSet<>();
        mine.forEach(o -> ids.add(o.id()));
        List<Uni<Organization>> trees = new ArrayList<>();
        for (Organization organization : mine) {
            if (organization.partOf() == null || !ids.contains(organization.partOf())) {
                trees.add(admin.tree(organization.id()));
            }
        }
        if (trees.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.join().all(trees).andFailFast();
    }

    @GET
    @Path("/organizations/{id}")
    public Uni<TemplateInstance> organization(@PathParam("id") long id, @QueryParam("notice") String notice) {
        return organizationPage(id, Notices.text(notice), MemberForm.empty());
    }

    private Uni<TemplateInstance> organizationPage(long id, String notice, MemberForm form) {
        // the members and studies are asked for at once with the organization; the API refuses all three to anyone
        // outside it
        return user.known().flatMap(known -> Uni.combine().all()
                .unis(user.organization(known, id), admin.members(id), admin.studies(id)).asTuple()
                .map(t -> Templates.organization(known.profile(), t.getItem1(), t.getItem2(), t.getItem3(),
                        known.profile().isSuperuser() || "manager".equals(t.getItem1().currentUserRole()), notice,
                        form)));
    }

    /**
     * A manager adds a practitioner, found by e-mail, to the organization with a role, or changes the role of one
     * who is a member already (admin-service checks the role again). A wrong field, or an address no practitioner
     * has, is shown next to its field with a 400.
     */
    @POST
    @Path("/organizations/{id}/members")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> addMember(@PathParam("id") long id, @FormParam("email") String email,
            @FormParam("role") String role) {
        MemberForm form = MemberForm.checked(email, role);
        if (!form.valid()) {
            return refused(id, form);
        }
        return admin.userByEmail(form.email()).flatMap(found -> {
            // nobody found is an empty object; a patient's account cannot be a member
            if (!found.path("id").canConvertToLong() || !"practitioner".equals(found.path("userType").asText())) {
                return refused(id, form.withEmailError("No practitioner has this e-mail address."));
            }
            return admin.addMember(id, new AdminApi.Membership(found.path("id").asLong(), form.role()))
                    .map(done -> Response.seeOther(URI.create("/console/organizations/" + id
                            + "?notice=member-added")).build());
        });
    }

    private Uni<Response> refused(long id, MemberForm form) {
        return organizationPage(id, null, form).map(page -> FormPages.withStatus(400, page));
    }

    /** A manager takes a member out of the organization (admin-service checks the role again). */
    @POST
    @Path("/organizations/{id}/members/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> removeMember(@PathParam("id") long id, @FormParam("userId") String userId) {
        long user = Inputs.id(userId, "userId");
        return admin.removeMember(id, new AdminApi.MemberRef(user))
                .map(done -> Response.seeOther(URI.create("/console/organizations/" + id + "?notice=member-removed"))
                        .build());
    }

    /**
     * The patients of the user's current organization (the one they last listed, which the admin API remembers),
     * or of their first one; their organizations when they have none.
     */
    @GET
    @Path("/patients")
    public Uni<Response> currentPatients() {
        // the profile as the admin API has it now: it remembers the organization whose patients were listed last
        return Uni.combine().all().unis(admin.profile(), user.known()).asTuple().map(t -> {
            Profile me = t.getItem1();
            List<Organization> mine = t.getItem2().organizations();
            Long current = me.currentOrganizationId();
            Long target = current != null && mine.stream().anyMatch(o -> o.id() == current) ? current
                    : mine.isEmpty() ? null : mine.get(0).id();
            return Response.seeOther(URI.create(target == null ? "/console/organizations"
                    : "/console/organizations/" + target + "/patients")).build();
        });
    }

    /** An organization's patients, a page at a time, searched by name or e-mail and sorted as asked. */
    @GET
    @Path("/organizations/{id}/patients")
    public Uni<TemplateInstance> patients(@PathParam("id") long id, @QueryParam("page") String page,
            @QueryParam("q") String search, @QueryParam("sort") String sort, @HeaderParam("HX-Request") String htmx) {
        int number = Inputs.page(page, MAX_PAGE);
        String term = PatientListing.search(search);
        String order = PatientListing.sort(sort);
        return patientsPage(id, number, term, order, "true".equals(htmx), PatientForm.empty());
    }

    private Uni<TemplateInstance> patientsPage(long id, int number, String term, String order, boolean htmx,
            PatientForm form) {
        // one call to the admin API when the user's profile and organizations are kept (SignedInUser): the page of
        // patients; the organization's name and the user's role in it are those kept, unless the user is not a
        // member (a superuser), whose organization is asked for at once with the page
        return user.known().flatMap(known -> Uni.combine().all().unis(user.organization(known, id),
                admin.patients(id, pageSize, (long) (number - 1) * pageSize, term, order)).asTuple()
                .map(t -> Templates.patients(known.profile(), t.getItem1(), t.getItem2(), new PatientListing(id, term,
                        order, number, (int) Math.max(1, (t.getItem2().count() + pageSize - 1) / pageSize)),
                        htmx, canEdit(known.profile(), t.getItem1()), form)));
    }

    /** A superuser, or a manager or member of the organization: who may add patients to it. */
    private static boolean canEdit(Profile me, Organization organization) {
        return me.isSuperuser() || "manager".equals(organization.currentUserRole())
                || "member".equals(organization.currentUserRole());
    }

    /**
     * A manager or member adds a patient to the organization: an e-mail address (an account the exchange knows is
     * reused, as the admin API does), and optionally names and a birth date. A wrong field, here or in the admin
     * API's judgement (a patient with that address exists already), is shown next to it with a 400; the new patient's
     * page follows a success.
     */
    @POST
    @Path("/organizations/{id}/patients")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> addPatient(@PathParam("id") long id, @FormParam("email") String email,
            @FormParam("nameGiven") String nameGiven, @FormParam("nameFamily") String nameFamily,
            @FormParam("birthDate") String birthDate) {
        PatientForm form = PatientForm.checked(email, nameGiven, nameFamily, birthDate);
        if (!form.valid()) {
            return patientRefused(id, form);
        }
        return admin.createPatient(new AdminApi.NewPatient(id, form.email(), PatientForm.orNull(form.nameGiven()),
                PatientForm.orNull(form.nameFamily()), PatientForm.orNull(form.birthDate())))
                .map(created -> Response.seeOther(URI.create("/console/patients/" + created.id()
                        + "?notice=patient-created")).build())
                .onFailure(ApiRefusal::isRefusal)
                .recoverWithUni(failure -> patientRefused(id, form.refusedBy(ApiRefusal.of(failure))));
    }

    private Uni<Response> patientRefused(long id, PatientForm form) {
        return patientsPage(id, 1, null, null, false, form).map(page -> FormPages.withStatus(400, page));
    }

    @GET
    @Path("/patients/{id}")
    public Uni<TemplateInstance> patient(@PathParam("id") long id, @QueryParam("notice") String notice) {
        Uni<Long> observations = fhir.countObservations(id, "count")
                .map(bundle -> bundle.path("total").isNumber() ? bundle.path("total").asLong() : null)
                // the count is a convenience: the page stands without it
                .onFailure().recoverWithItem((Long) null);
        return user.known().flatMap(known -> Uni.combine().all()
                .unis(admin.patient(id), consents(known.profile(), id), observations).asTuple()
                .map(t -> Templates.patient(known.profile(), t.getItem1(), t.getItem2(), t.getItem3(),
                        PatientObservations.codes(t.getItem2()), ConsentRights.of(known.profile(),
                                known.organizations()),
                        Notices.text(notice))));
    }

    /**
     * The patient's consents; for a superuser outside the patient's organizations, whom the admin API refuses
     * them, none (null): the page still shows the record, and says the consents are for the organizations' members.
     */
    private Uni<ConsentsView> consents(Profile me, long id) {
        return admin.consents(id)
                .onFailure(e -> me.isSuperuser() && e instanceof WebApplicationException w
                        && w.getResponse().getStatus() == 403)
                .recoverWithNull();
    }

    /**
     * A manager or member grants or revokes a patient's consent to one type of data in one study: a change of the
     * recorded decision, or the first decision when none is recorded yet (the admin API checks the role again).
     */
    @POST
    @Path("/patients/{id}/consents")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> decideConsent(@PathParam("id") long id, @FormParam("studyId") String studyId,
            @FormParam("codingSystem") String codingSystem, @FormParam("codingCode") String codingCode,
            @FormParam("consented") String consented) {
        long study = Inputs.id(studyId, "study id");
        String system = Inputs.codingSystem(codingSystem);
        String code = Inputs.codingCode(codingCode);
        boolean granted = Inputs.bool(consented, "consented");
        AdminApi.ConsentDecisions decision = AdminApi.ConsentDecisions.one(study, system, code, granted);
        return admin.changeConsents(id, decision)
                .onFailure(e -> e instanceof WebApplicationException w && w.getResponse().getStatus() == 404)
                .recoverWithUni(() -> admin.recordConsents(id, decision))
                .map(done -> Response.seeOther(URI.create("/console/patients/" + id + "?notice="
                        + (granted ? "consent-granted" : "consent-revoked"))).build());
    }

    @GET
    @Path("/signed-out")
    @PermitAll
    public TemplateInstance signedOut() {
        return Templates.signedOut();
    }
}
