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
import org.jupyterhealth.exchange.console.api.SignedInUser;
import org.jupyterhealth.exchange.console.api.AdminModel.Patient;
import org.jupyterhealth.exchange.console.api.AdminModel.Profile;
import org.jupyterhealth.exchange.console.api.FhirApi;
import org.jupyterhealth.exchange.console.audit.AccessReport;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * Who accessed a patient's data, when, through which app and with what outcome, from the FHIR API's audit trail: a
 * signed-in patient reads its own report; a superuser reads any patient's, and the whole trail. The API decides
 * (a practitioner is refused there, and sees the refusal page); the console only leaves out the links a role cannot
 * follow. Newest first, a page at a time through the API's cursor.
 */
@Path("/console")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class AccessReports {
    private final AdminApi admin;
    private final FhirApi fhir;
    private final SignedInUser user;
    private final int pageSize;

    public AccessReports(@RestClient AdminApi admin, @RestClient FhirApi fhir, SignedInUser user,
            @ConfigProperty(name = "jhe.console.page-size") int pageSize) {
        this.admin = admin;
        this.fhir = fhir;
        this.user = user;
        this.pageSize = pageSize;
    }

    @CheckedTemplate(basePath = "pages")
    static class Templates {
        /** {@code patient}: whose report, or null for the whole trail (or a patient's own, {@code own}). */
        static native TemplateInstance accessReport(Profile me, Patient patient, boolean own, AccessReport report,
                String baseUrl, boolean firstPage);
    }

    /** The signed-in patient's own access report; for a superuser, the whole audit trail. */
    @GET
    @Path("/access-report")
    public Uni<TemplateInstance> own(@QueryParam("cursor") String cursor) {
        String checked = cursor(cursor);
        return user.profile().flatMap(me -> {
            Uni<Patient> patient = me.isPatient() ? admin.me() : Uni.createFrom().nullItem();
            // a patient's search is narrowed to itself by the API, whatever the console asks
            return Uni.combine().all().unis(patient, fhir.auditEvents(null, pageSize, checked)).asTuple()
                    .map(t -> Templates.accessReport(me, t.getItem1(), me.isPatient(), AccessReport.from(t.getItem2()),
                            "/console/access-report", checked == null));
        });
    }

    /** The accesses to one patient's data (a superuser's; the API refuses anyone else). */
    @GET
    @Path("/patients/{id}/access-report")
    public Uni<TemplateInstance> ofPatient(@PathParam("id") String id, @QueryParam("cursor") String cursor) {
        long patientId = Inputs.id(id, "patient id");
        String checked = cursor(cursor);
        // a superuser outside the patient's organizations may not read its record, only the trail: the page then
        // names the patient by number
        Uni<Patient> patient = admin.patient(patientId).onFailure(e -> e instanceof jakarta.ws.rs.WebApplicationException w
                && (w.getResponse().getStatus() == 403 || w.getResponse().getStatus() == 404))
                .recoverWithItem(() -> new Patient(patientId, null, null, null, null, null, null, null, null, null,
                        null));
        return user.profile().flatMap(me -> {
            if (!me.isSuperuser()) {
                // the API narrows a patient's search to its own data whatever it names: another patient's address
                // would show the patient's own accesses under another's name, so only a superuser gets this page
                throw new jakarta.ws.rs.WebApplicationException(403);
            }
            return Uni.combine().all()
                .unis(patient, fhir.auditEvents(patientId, pageSize, checked)).asTuple()
                .map(t -> Templates.accessReport(me, t.getItem1(), false, AccessReport.from(t.getItem2()),
                        "/console/patients/" + patientId + "/access-report", checked == null));
        });
    }

    private static String cursor(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!AccessReport.isCursor(value)) {
            throw new Inputs.BadInput("That page of the report does not exist; start again from the newest accesses.");
        }
        return value;
    }
}
