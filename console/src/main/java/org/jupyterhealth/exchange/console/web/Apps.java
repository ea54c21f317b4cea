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
import org.jupyterhealth.exchange.console.api.AdminModel.Client;
import org.jupyterhealth.exchange.console.api.AdminModel.DataSource;
import org.jupyterhealth.exchange.console.api.AdminModel.Page;
import org.jupyterhealth.exchange.console.api.AdminModel.Profile;
import org.jupyterhealth.exchange.console.api.SignedInUser;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * A superuser's apps (OAuth clients, the admin API's {@code /clients}): the list a page at a time, registering one,
 * changing its name and invitation URL, the data sources it reads from, and deleting it after a confirmation page.
 * The apps are public clients (the patients' apps): the admin API gives them no secret, so there is none to show.
 * Superusers only: anyone else gets the "No access" page before any service is asked.
 */
@Path("/console/admin/clients")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class Apps {
    /** The data sources offered to link: the registry's first page of this many. */
    private static final int DATA_SOURCE_CHOICES = 100;

    private final AdminApi admin;
    private final SignedInUser user;
    private final int pageSize;

    public Apps(@RestClient AdminApi admin, SignedInUser user,
            @ConfigProperty(name = "jhe.console.page-size") int pageSize) {
        this.admin = admin;
        this.user = user;
        this.pageSize = pageSize;
    }

    /** One page of the apps, with where the pages around it are. */
    public record AppList(List<Client> clients, long count, int page, int pages) {
        public String url(int number) {
            return "/console/admin/clients?page=" + number;
        }
    }

    /** An app's page: the app, its change form, its data sources and the ones it may be linked to. */
    public record AppPage(Client client, ClientForm form, List<DataSource> dataSources, List<DataSource> choices,
            String linkError) {
    }

    @CheckedTemplate(basePath = "pages")
    static class Templates {
        static native TemplateInstance apps(Profile me, AppList list, ClientForm form, String notice);

        static native TemplateInstance app(Profile me, AppPage app, String notice);

        static native TemplateInstance appDelete(Profile me, Client client, String error);
    }

    @GET
    public Uni<TemplateInstance> list(@QueryParam("page") String page, @QueryParam("notice") String notice) {
        int number = Inputs.page(page, Pages.MAX_PAGE);
        return Superusers.only(user).flatMap(me -> listPage(me, number, ClientForm.empty(), Notices.text(notice)));
    }

    /**
     * Registers an app; to its page with a notice when done, the list again with each wrong field's error next to it
     * (the console's, or the admin API's: a URL it does not accept, a client id taken already) and a 400 when not.
     */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> register(@FormParam("name") String name, @FormParam("clientId") String clientId,
            @FormParam("invitationUrl") String invitationUrl) {
        ClientForm form = ClientForm.registration(name, clientId, invitationUrl);
        return Superusers.only(user).flatMap(me -> {
            if (!form.valid()) {
                return refusedList(me, form);
            }
            return admin.createClient(new AdminApi.ClientFields(form.name(), form.clientId(), form.invitationUrl()))
                    .map(created -> Response.seeOther(URI.create("/console/admin/clients/" + created.id()
                            + "?notice=client-created")).build())
                    .onFailure(ApiRefusal::isRefusal)
                    .recoverWithUni(failure -> refusedList(me, form.refusedBy(ApiRefusal.of(failure))));
        });
    }

    @GET
    @Path("/{id}")
    public Uni<TemplateInstance> app(@PathParam("id") String id, @QueryParam("notice") String notice) {
        long clientId = Inputs.id(id, "app");
        return Superusers.only(user).flatMap(me -> admin.client(clientId)
                .flatMap(client -> appPage(client, ClientForm.of(client), null))
                .map(app -> Templates.app(me, app, Notices.text(notice))));
    }

    /** Changes an app's name and invitation URL; the form again with the errors next to their fields when wrong. */
    @POST
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> change(@PathParam("id") String id, @FormParam("name") String name,
            @FormParam("invitationUrl") String invitationUrl) {
        long clientId = Inputs.id(id, "app");
        return Superusers.only(user).flatMap(me -> admin.client(clientId).flatMap(client -> {
            ClientForm form = ClientForm.change(name, client.clientId(), invitationUrl);
            if (!form.valid()) {
                return refusedApp(me, client, form, null);
            }
            return admin.changeClient(clientId, new AdminApi.ClientFields(form.name(), null, form.invitationUrl()))
                    .map(done -> Response.seeOther(URI.create("/console/admin/clients/" + clientId
                            + "?notice=client-changed")).build())
                    .onFailure(ApiRefusal::isRefusal)
                    .recoverWithUni(failure -> refusedApp(me, client, form.refusedBy(ApiRefusal.of(failure)), null));
        }));
    }

    /** Links a data source to the app; a wrong choice or the API's refusal (linked already) is shown next to it. */
    @POST
    @Path("/{id}/data-sources")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> linkDataSource(@PathParam("id") String id, @FormParam("dataSourceId") String dataSourceId) {
        long clientId = Inputs.id(id, "app");
        return Superusers.only(user).flatMap(me -> {
            if (!Inputs.isId(dataSourceId)) {
                return admin.client(clientId).flatMap(client -> refusedApp(me, client, ClientForm.of(client),
                        "Choose a data source."));
            }
            return admin.linkClientDataSource(clientId, new AdminApi.DataSourceRef(Long.parseLong(dataSourceId)))
                    .map(done -> Response.seeOther(URI.create("/console/admin/clients/" + clientId
                            + "?notice=client-data-source-added")).build())
                    .onFailure(ApiRefusal::isRefusal)
                    .recoverWithUni(failure -> {
                        String error = ApiRefusal.of(failure).forField("dataSourceId");
                        return admin.client(clientId).flatMap(client -> refusedApp(me, client, ClientForm.of(client),
                                error));
                    });
        });
    }

    @POST
    @Path("/{id}/data-sources/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> unlinkDataSource(@PathParam("id") String id, @FormParam("dataSourceId") String dataSourceId) {
        long clientId = Inputs.id(id, "app");
        long sourceId = Inputs.id(dataSourceId, "data source");
        return Superusers.only(user).flatMap(me -> admin.unlinkClientDataSource(clientId,
                new AdminApi.DataSourceRef(sourceId)))
                .map(done -> Response.seeOther(URI.create("/console/admin/clients/" + clientId
                        + "?notice=client-data-source-removed")).build());
    }

    /** What deleting the app means, and the button that does it: nothing is deleted by following a link. */
    @GET
    @Path("/{id}/delete")
    public Uni<TemplateInstance> confirmDelete(@PathParam("id") String id) {
        long clientId = Inputs.id(id, "app");
        return Superusers.only(user).flatMap(me -> admin.client(clientId)
                .map(client -> Templates.appDelete(me, client, null)));
    }

    /**
     * Deletes the app, here and in identity-service; the API's refusal is shown on the confirmation page. Only the
     * confirmation page's form says {@code confirm=yes}: anything else is bad input, and nothing is deleted.
     */
    @POST
    @Path("/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> delete(@PathParam("id") String id, @FormParam("confirm") String confirm) {
        long clientId = Inputs.id(id, "app");
        if (!"yes".equals(confirm)) {
            throw new Inputs.BadInput("A deletion is confirmed on its own page.");
        }
        return Superusers.only(user).flatMap(me -> admin.client(clientId).flatMap(client -> admin
                .deleteClient(clientId)
                .map(done -> Response.seeOther(URI.create("/console/admin/clients?notice=client-deleted")).build())
                .onFailure(ApiRefusal::isRefusal)
                .recoverWithItem(failure -> FormPages.withStatus(400,
                        Templates.appDelete(me, client, ApiRefusal.of(failure).detail())))));
    }

    private Uni<TemplateInstance> listPage(Profile me, int number, ClientForm form, String notice) {
        return admin.clients(pageSize, (long) (number - 1) * pageSize).map(page -> Templates.apps(me,
                new AppList(clients(page), page.count(), number,
                        (int) Math.max(1, (page.count() + pageSize - 1) / pageSize)), form, notice));
    }

    private Uni<Response> refusedList(Profile me, ClientForm form) {
        return listPage(me, 1, form, null).map(page -> FormPages.withStatus(400, page));
    }

    private Uni<AppPage> appPage(Client client, ClientForm form, String linkError) {
        return Uni.combine().all().unis(admin.clientDataSources(client.id()),
                admin.dataSources(DATA_SOURCE_CHOICES, 0)).asTuple()
                .map(t -> new AppPage(client, form, t.getItem1(), choices(t.getItem2(), t.getItem1()), linkError));
    }

    private Uni<Response> refusedApp(Profile me, Client client, ClientForm form, String linkError) {
        return appPage(client, form, linkError).map(app -> FormPages.withStatus(400, Templates.app(me, app, null)));
    }

    /** The registry's data sources the app is not linked to yet. */
    private static List<DataSource> choices(Page<JsonNode> registry, List<DataSource> linked) {
        return registry.results().stream()
                .filter(d -> linked.stream().noneMatch(l -> l.id() == d.path("id").asLong()))
                .map(d -> new DataSource(d.path("id").asLong(), d.path("name").asText(""),
                        d.path("type").asText(""), null))
                .toList();
    }

    private static List<Client> clients(Page<JsonNode> page) {
        return page.results().stream().map(c -> new Client(c.path("id").asLong(), text(c, "name"),
                text(c, "clientId"), text(c, "invitationUrl"))).toList();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }
}
