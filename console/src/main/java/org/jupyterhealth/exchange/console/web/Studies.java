package org.jupyterhealth.exchange.console.web;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jupyterhealth.exchange.console.api.AdminApi;
import org.jupyterhealth.exchange.console.api.AdminModel.ClientLink;
import org.jupyterhealth.exchange.console.api.AdminModel.DataSourceLink;
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
 * is the API's 404 or 403). The page only reads; the API's write endpoints stay with the API's clients.
 */
@Path("/console/studies")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class Studies {
    private final AdminApi admin;
    private final int pageSize;

    public Studies(@RestClient AdminApi admin, @ConfigProperty(name = "jhe.console.page-size") int pageSize) {
        this.admin = admin;
        this.pageSize = pageSize;
    }

    /** One page of a study's patients, and the addresses of the pages around it. */
    public record PatientPage(Page<Patient> page, int number, int pages, String baseUrl) {
        public String url(int page) {
            return baseUrl + "?page=" + page;
        }
    }

    @CheckedTemplate(basePath = "pages")
    static class Templates {
        static native TemplateInstance study(Profile me, Study study, java.util.List<ScopeRequest> scopes,
                java.util.List<DataSourceLink> dataSources, java.util.List<ClientLink> clients, PatientPage patients);
    }

    @GET
    @Path("/{id}")
    public Uni<TemplateInstance> study(@PathParam("id") String id, @QueryParam("page") String page) {
        long studyId = Inputs.id(id, "study id");
        int number = Inputs.page(page, Pages.MAX_PAGE);
        return admin.profile().flatMap(me -> Uni.combine().all().unis(admin.study(studyId),
                admin.scopeRequests(studyId), admin.studyDataSources(studyId), admin.studyClients(studyId),
                admin.studyPatients(studyId, pageSize, (long) (number - 1) * pageSize)).asTuple()
                .map(t -> Templates.study(me, t.getItem1(), t.getItem2(), t.getItem3(), t.getItem4(),
                        new PatientPage(t.getItem5(), number,
                                (int) Math.max(1, (t.getItem5().count() + pageSize - 1) / pageSize),
                                "/console/studies/" + studyId))));
    }
}
