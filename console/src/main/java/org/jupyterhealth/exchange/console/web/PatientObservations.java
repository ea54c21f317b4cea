package org.jupyterhealth.exchange.console.web;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jupyterhealth.exchange.console.api.AdminApi;
import org.jupyterhealth.exchange.console.api.AdminModel.Code;
import org.jupyterhealth.exchange.console.api.AdminModel.ConsentsView;
import org.jupyterhealth.exchange.console.api.AdminModel.Patient;
import org.jupyterhealth.exchange.console.api.AdminModel.Profile;
import org.jupyterhealth.exchange.console.api.AdminModel.ScopeConsent;
import org.jupyterhealth.exchange.console.api.AdminModel.StudyConsents;
import org.jupyterhealth.exchange.console.observation.ObservationReader;
import org.jupyterhealth.exchange.console.observation.ObservationSeries;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * A patient's observations: the page with the plot's form, and the plot's data and CSV for a code and range. The
 * page is rendered without the data; its script asks for the data as compact arrays ({@link ObservationSeries}),
 * read from the FHIR API as the user may see them (a revoked consent leaves the plot empty).
 */
@Path("/console/patients/{id}/observations")
@Authenticated
public class PatientObservations {
    private final AdminApi admin;
    private final ObservationReader reader;
    private final SecurityIdentity identity;

    public PatientObservations(@RestClient AdminApi admin, ObservationReader reader, SecurityIdentity identity) {
        this.admin = admin;
        this.reader = reader;
        this.identity = identity;
    }

    @CheckedTemplate(basePath = "pages")
    static class Templates {
        static native TemplateInstance observations(Profile me, Patient patient, List<Code> codes, Code selected,
                PlotRange range, String dataUrl, String csvUrl);
    }

    /**
     * The page: the types of data the patient's studies ask for, the chosen one's plot and table. A code outside
     * that list or a wrong range is shown next to its field, with a 400.
     */
    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> page(@PathParam("id") String id, @QueryParam("code") String code,
            @QueryParam("from") String from, @QueryParam("to") String to) {
        long patientId = Inputs.id(id, "patient id");
        PlotRange range = PlotRange.parse(code, from, to);
        return admin.profile().flatMap(me -> Uni.combine().all()
                .unis(admin.patient(patientId), admin.consents(patientId)).asTuple()
                .map(t -> {
                    List<Code> codes = codes(t.getItem2());
                    Code selected = null;
                    if (range.code() != null) {
                        selected = codes.stream().filter(c -> c.codingCode().equals(range.code())).findFirst()
                                .orElse(null);
                        if (selected == null) {
                            range.errors().put("code", "This patient's studies do not ask for that type of data.");
                        }
                    } else if (!range.errors().containsKey("code") && !codes.isEmpty()) {
                        selected = codes.get(0);
                    }
                    String query = selected == null || !range.valid() ? null : query(patientId, selected, range);
                    TemplateInstance page = Templates.observations(me, t.getItem1(), codes, selected, range,
                            query == null ? null : "/console/patients/" + patientId + "/observations/series" + query,
                            query == null ? null : "/console/patients/" + patientId + "/observations/csv" + query);
                    return Response.status(range.valid() ? 200 : 400)
                            .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page.render()).build();
                }));
    }

    /** The plot's data: {@code {"t": [...], "series": [{"name", "unit", "v": [...]}]}} (see ObservationSeries). */
    @GET
    @Path("/series")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> series(@PathParam("id") String id, @QueryParam("code") String code,
            @QueryParam("from") String from, @QueryParam("to") String to) {
        long patientId = Inputs.id(id, "patient id");
        PlotRange range = PlotRange.require(code, from, to);
        return reader.read(token(), patientId, range.code(), range.start(), range.end())
                .map(series -> Response.ok((StreamingOutput) out -> series.writeJson(range.code(), out),
                        MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build());
    }

    /** The same data as a CSV file to download, one row per data point. */
    @GET
    @Path("/csv")
    @Produces("text/csv")
    public Uni<Response> csv(@PathParam("id") String id, @QueryParam("code") String code,
            @QueryParam("from") String from, @QueryParam("to") String to) {
        long patientId = Inputs.id(id, "patient id");
        PlotRange range = PlotRange.require(code, from, to);
        String name = "patient-" + patientId + "-" + range.code().replaceAll("[^A-Za-z0-9.-]", "-") + "-"
                + range.from() + "-" + range.to() + ".csv";
        return reader.read(token(), patientId, range.code(), range.start(), range.end())
                .map(series -> Response.ok((StreamingOutput) out -> {
                    var writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
                    series.writeCsv(writer);
                    writer.flush();
                }, "text/csv; charset=UTF-8").header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                        .header("Cache-Control", "no-store").build());
    }

    /** The user's access token, from the session, taken here on the request's thread. */
    private String token() {
        AccessTokenCredential credential = identity.getCredential(AccessTokenCredential.class);
        if (credential == null || credential.getToken() == null) {
            throw new jakarta.ws.rs.NotAuthorizedException("Bearer");
        }
        return credential.getToken();
    }

    /** The types of data the patient's studies ask for, each once, in the studies' order. */
    static List<Code> codes(ConsentsView consents) {
        Map<String, Code> codes = new LinkedHashMap<>();
        List<StudyConsents> studies = new ArrayList<>();
        if (consents.studies() != null) {
            studies.addAll(consents.studies());
        }
        for (StudyConsents study : studies) {
            if (study.scopeConsents() != null) {
                for (ScopeConsent consent : study.scopeConsents()) {
                    if (consent.code() != null && consent.code().codingCode() != null) {
                        codes.putIfAbsent(consent.code().codingCode(), consent.code());
                    }
                }
            }
        }
        if (consents.consolidatedConsentedScopes() != null) {
            consents.consolidatedConsentedScopes().forEach(c -> {
                if (c.codingCode() != null) {
                    codes.putIfAbsent(c.codingCode(), c);
                }
            });
        }
        return new ArrayList<>(codes.values());
    }

    private static String query(long patientId, Code code, PlotRange range) {
        return "?code=" + URLEncoder.encode(code.codingCode(), StandardCharsets.UTF_8) + "&from=" + range.from()
                + "&to=" + range.to();
    }
}
