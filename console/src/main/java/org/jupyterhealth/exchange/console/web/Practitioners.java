package org.jupyterhealth.exchange.console.web;

import java.net.URI;
import java.util.List;

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
import org.jupyterhealth.exchange.console.api.AdminModel.Organization;
import org.jupyterhealth.exchange.console.api.AdminModel.Page;
import org.jupyterhealth.exchange.console.api.AdminModel.PractitionerRecord;
import org.jupyterhealth.exchange.console.api.AdminModel.Profile;
import org.jupyterhealth.exchange.console.api.SignedInUser;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * A superuser's practitioners (the admin API's {@code /practitioners}): the list a page at a time, a practitioner's
 * page with its organizations and roles, adding one (a new account gets an activation link, e-mailed by the exchange)
 * and renaming one. The e-mail is the account's sign-in name, which the admin API does not change; memberships are
 * changed on the organization's page. Superusers only: anyone else gets the "No access" page before any service is
 * asked.
 */
@Path("/console/admin/practitioners")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class Practitioners {
    private final AdminApi admin;
    private final SignedInUser user;
    private final int pageSize;

    public Practitioners(@RestClient AdminApi admin, SignedInUser user,
            @ConfigProperty(name = "jhe.console.page-size") int pageSize) {
        this.admin = admin;
        this.user = user;
        this.pageSize = pageSize;
    }

    /** One page of the practitioners, with where the pages around it are. */
    public record PractitionerList(List<PractitionerRecord> practitioners, long count, int page, int pages) {
        public String url(int number) {
            return "/console/admin/practitioners?page=" + number;
        }
    }

    @CheckedTemplate(basePath = "pages")
    static class Templates {
        static native TemplateInstance practitioners(Profile me, PractitionerList list, PractitionerForm form,
                String notice);

        static native TemplateInstance practitioner(Profile me, PractitionerRecord practitioner,
                PractitionerForm form, String notice);
    }

    @GET
    public Uni<TemplateInstance> list(@QueryParam("page") String page, @QueryParam("notice") String notice) {
        int number = Inputs.page(page, Pages.MAX_PAGE);
        return Superusers.only(user)
                .flatMap(me -> listPage(me, number, PractitionerForm.empty(), Notices.text(notice)));
    }

    /**
     * Adds a practitioner. Done: to its page, or, when the admin API hands back a new account's activation link
     * (where the exchange sends no e-mail), that page as this answer only, with {@code no-store}, the one time the
     * link is shown (the console neither logs nor keeps it). Not done: the list again with each wrong field's error
     * next to it and a 400.
     */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> add(@FormParam("email") String email, @FormParam("nameGiven") String nameGiven,
            @FormParam("nameFamily") String nameFamily, @FormParam("organizationId") String organizationId) {
        PractitionerForm form = PractitionerForm.addition(email, nameGiven, nameFamily, organizationId);
        return Superusers.only(user).flatMap(me -> {
            if (!form.valid()) {
                return refusedList(me, form);
            }
            return admin.createPractitioner(new AdminApi.NewPractitioner(form.email(), orNull(form.nameGiven()),
                    orNull(form.nameFamily()), form.organization()))
                    .map(created -> created.activationLink() == null
                            ? Response.seeOther(URI.create("/console/admin/practitioners/" + created.id()
                                    + "?notice=practitioner-created")).build()
                            : Response.ok(Templates.practitioner(me, created, PractitionerForm.of(created),
                                    Notices.text("practitioner-created-here")).render(),
                                    MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                                    .header("Cache-Control", "no-store").build())
                    .onFailure(ApiRefusal::isRefusal)
                    .recoverWithUni(failure -> refusedList(me, form.refusedBy(ApiRefusal.of(failure))));
        });
    }

    @GET
    @Path("/{id}")
    public Uni<TemplateInstance> practitioner(@PathParam("id") String id, @QueryParam("notice") String notice) {
        long practitionerId = Inputs.id(id, "practitioner");
        return Superusers.only(user).flatMap(me -> admin.practitioner(practitionerId)
                .map(p -> Templates.practitioner(me, withoutLink(p), PractitionerForm.of(p), Notices.text(notice))));
    }

    /** Renames a practitioner; the form again with the errors next to their fields when wrong. */
    @POST
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> rename(@PathParam("id") String id, @FormParam("nameGiven") String nameGiven,
            @FormParam("nameFamily") String nameFamily) {
        long practitionerId = Inputs.id(id, "practitioner");
        return Superusers.only(user).flatMap(me -> admin.practitioner(practitionerId).flatMap(p -> {
            PractitionerForm form = PractitionerForm.renaming(p.telecomEmail(), nameGiven, nameFamily);
            if (!form.valid()) {
                return Uni.createFrom().item(FormPages.withStatus(400,
                        Templates.practitioner(me, withoutLink(p), form, null)));
            }
            // the API keeps a name it is not sent: an empty field clears a name, but one that never had a value
            // is left as it is
            return admin.renamePractitioner(practitionerId, new AdminApi.PractitionerNames(
                    changed(form.nameGiven(), p.nameGiven()), changed(form.nameFamily(), p.nameFamily())))
                    .map(done -> Response.seeOther(URI.create("/console/admin/practitioners/" + practitionerId
                            + "?notice=practitioner-changed")).build())
                    .onFailure(ApiRefusal::isRefusal)
                    .recoverWithItem(failure -> FormPages.withStatus(400, Templates.practitioner(me, withoutLink(p),
                            form.refusedBy(ApiRefusal.of(failure)), null)));
        }));
    }

    private Uni<TemplateInstance> listPage(Profile me, int number, PractitionerForm form, String notice) {
        return admin.practitioners(pageSize, (long) (number - 1) * pageSize).map(page -> Templates.practitioners(me,
                new PractitionerList(practitioners(page), page.count(), number,
                        (int) Math.max(1, (page.count() + pageSize - 1) / pageSize)), form, notice));
    }

    private Uni<Response> refusedList(Profile me, PractitionerForm form) {
        return listPage(me, 1, form, null).map(page -> FormPages.withStatus(400, page));
    }

    /** Only the answer to the create that opened the account may show its activation link. */
    private static PractitionerRecord withoutLink(PractitionerRecord p) {
        return new PractitionerRecord(p.id(), p.jheUserId(), p.nameFamily(), p.nameGiven(), p.telecomEmail(),
                p.organizations(), null, null);
    }

    /** The name to send: null (unchanged) for an empty field of a name that is empty already. */
    private static String changed(String typed, String current) {
        return typed.isEmpty() && (current == null || current.isEmpty()) ? null : typed;
    }

    private static String orNull(String value) {
        return value.isEmpty() ? null : value;
    }

    private static List<PractitionerRecord> practitioners(Page<JsonNode> page) {
        return page.results().stream().map(p -> {
            List<Organization> organizations = new java.util.ArrayList<>();
            p.path("organizations").forEach(o -> organizations.add(new Organization(o.path("id").asLong(),
                    o.path("name").asText(""), null, null, o.path("currentUserRole").asText(null), null)));
            return new PractitionerRecord(p.path("id").asLong(), p.path("jheUserId").asLong(),
                    p.path("nameFamily").asText(null), p.path("nameGiven").asText(null),
                    p.path("telecomEmail").asText(null), organizations, null, null);
        }).toList();
    }
}
