package org.jupyterhealth.exchange.console.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

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
import org.jupyterhealth.exchange.console.api.AdminModel.Page;
import org.jupyterhealth.exchange.console.api.AdminModel.Profile;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import io.quarkus.security.Authenticated;

/**
 * A superuser's administration: its index, the data sources, which a superuser adds and deletes, and the exchange's
 * settings, whose values a superuser changes (the apps and the practitioners have pages of their own: {@link Apps},
 * {@link Practitioners}). The index and the settings are a superuser's only: anyone else gets the "No access" page
 * before any service is asked. The data sources are read by every practitioner (the admin API lists them to anyone
 * signed in) and changed by superusers only: anyone else's change is refused the same way.
 */
@Path("/console/admin")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class Registries {
    private final AdminApi admin;
    private final SignedInUser user;
    private final int pageSize;

    public Registries(@RestClient AdminApi admin, SignedInUser user,
            @ConfigProperty(name = "jhe.console.page-size") int pageSize) {
        this.admin = admin;
        this.user = user;
        this.pageSize = pageSize;
    }

    /** One registry's page as a table: its columns and rows of text, and where the pages around it are. */
    public record Table(String name, String title, List<String> columns, List<List<String>> rows, long count,
            int page, int pages) {
        public String url(int number) {
            return "/console/admin/" + name + "?page=" + number;
        }
    }

    /** A registry: its address, title, columns, the API's page of it, and a row of text from each entry. */
    private record Registry(String title, List<String> columns,
            java.util.function.BiFunction<Integer, Long, Uni<Page<JsonNode>>> read, Function<JsonNode, List<String>> row) {
    }

    @CheckedTemplate(basePath = "pages")
    static class Templates {
        static native TemplateInstance administration(Profile me);

        static native TemplateInstance registry(Profile me, Table table, boolean editsDataSources,
                boolean editsSettings, String notice, DataSourceForm form);

        static native TemplateInstance setting(Profile me, SettingForm form);
    }

    /** The administration's index: a superuser's only, as every page it leads to but the data sources. */
    @GET
    public Uni<TemplateInstance> index() {
        return Superusers.only(user).map(Templates::administration);
    }

    @GET
    @Path("/{name}")
    public Uni<TemplateInstance> registry(@PathParam("name") String name, @QueryParam("page") String page,
            @QueryParam("notice") String notice) {
        return registryPage(name, Inputs.page(page, Pages.MAX_PAGE), Notices.text(notice), DataSourceForm.empty());
    }

    /**
     * A superuser adds a data source: a name and a type. A wrong field, here or in the admin API's judgement, is
     * shown next to it with a 400; anyone else is refused (403) before the API is asked.
     */
    @POST
    @Path("/data-sources")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> createDataSource(@FormParam("name") String name, @FormParam("type") String type) {
        DataSourceForm form = DataSourceForm.checked(name, type);
        return Superusers.only(user).flatMap(me -> {
            if (!form.valid()) {
                return dataSourcesRefused(form);
            }
            return admin.createDataSource(new AdminApi.NewDataSource(form.name(), form.type()))
                    .map(done -> Response.seeOther(URI.create("/console/admin/data-sources?notice=data-source-created"))
                            .build())
                    .onFailure(ApiRefusal::isRefusal)
                    .recoverWithUni(failure -> dataSourcesRefused(form.refusedBy(ApiRefusal.of(failure))));
        });
    }

    /** A superuser deletes a data source; the admin API's refusal (one still in use) is shown above the list. */
    @POST
    @Path("/data-sources/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> deleteDataSource(@FormParam("dataSourceId") String dataSourceId) {
        long id = Inputs.id(dataSourceId, "data source");
        return Superusers.only(user).flatMap(me -> admin.deleteDataSource(id))
                .map(done -> Response.seeOther(URI.create("/console/admin/data-sources?notice=data-source-deleted"))
                        .build())
                .onFailure(ApiRefusal::isRefusal)
                .recoverWithUni(failure -> dataSourcesRefused(DataSourceForm.deleteRefused(
                        ApiRefusal.of(failure).detail())));
    }

    /** A setting's page: its key, type and value in a form (the admin API answers superusers only). */
    @GET
    @Path("/settings/{id}")
    public Uni<TemplateInstance> setting(@PathParam("id") String id) {
        long settingId = Inputs.id(id, "setting");
        return Superusers.only(user).flatMap(me -> admin.setting(settingId)
                .map(setting -> Templates.setting(me, SettingForm.of(setting))));
    }

    /**
     * A superuser changes a setting's value; back to the settings with a notice when done, the form again with the
     * error next to the value (the console's or the admin API's, which reads the value by the setting's type) and a
     * 400 when not.
     */
    @POST
    @Path("/settings/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> changeSetting(@PathParam("id") String id, @FormParam("value") String value) {
        long settingId = Inputs.id(id, "setting");
        return Superusers.only(user).flatMap(me -> admin.setting(settingId).flatMap(setting -> {
            SettingForm form = SettingForm.of(setting).withValue(value);
            if (!form.valid()) {
                return Uni.createFrom().item(settingRefused(me, form));
            }
            return admin.changeSetting(settingId, new AdminApi.SettingValue(form.value()))
                    .map(done -> Response.seeOther(URI.create("/console/admin/settings?notice=setting-changed"))
                            .build())
                    .onFailure(ApiRefusal::isRefusal)
                    .recoverWithItem(failure -> settingRefused(me, form.refusedBy(ApiRefusal.of(failure))));
        }));
    }

    private static Response settingRefused(Profile me, SettingForm form) {
        return FormPages.withStatus(400, Templates.setting(me, form));
    }

    private Uni<Response> dataSourcesRefused(DataSourceForm form) {
        return registryPage("data-sources", 1, null, form).map(page -> FormPages.withStatus(400, page));
    }

    private Uni<TemplateInstance> registryPage(String name, int number, String notice, DataSourceForm form) {
        Registry registry = switch (name) {
            case "data-sources" -> new Registry("Data sources", List.of("Number", "Name", "Type", "Types of data"),
                    admin::dataSources, d -> List.of(text(d, "id"), text(d, "name"), text(d, "type"),
                            codes(d.path("supportedScopes"))));
            case "settings" -> new Registry("Settings", List.of("Number", "Key", "Type", "Value", "Last updated"),
                    admin::settings, s -> List.of(text(s, "id"), text(s, "key"), text(s, "valueType"),
                            s.path("resolvedValue").isMissingNode() || s.path("resolvedValue").isNull() ? ""
                                    : s.path("resolvedValue").isTextual() ? s.path("resolvedValue").asText()
                                            : s.path("resolvedValue").toString(),
                            text(s, "lastUpdated")));
            default -> throw new jakarta.ws.rs.NotFoundException();
        };
        Uni<Profile> who = "settings".equals(name) ? Superusers.only(user) : user.profile();
        return who.flatMap(me -> registry.read().apply(pageSize, (long) (number - 1) * pageSize)
                .map(result -> {
                    List<List<String>> rows = new ArrayList<>();
                    result.results().forEach(entry -> rows.add(registry.row().apply(entry)));
                    return Templates.registry(me, new Table(name, registry.title(), registry.columns(), rows,
                            result.count(), number, (int) Math.max(1, (result.count() + pageSize - 1) / pageSize)),
                            // the data sources are read by everyone signed in, written by superusers only
                            me.isSuperuser() && "data-sources".equals(name),
                            me.isSuperuser() && "settings".equals(name), notice, form);
                }));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? "" : value.asText();
    }

    private static String codes(JsonNode scopes) {
        List<String> codes = new ArrayList<>();
        scopes.forEach(s -> codes.add(s.path("text").asText(s.path("codingCode").asText())));
        return String.join(", ", codes);
    }
}
