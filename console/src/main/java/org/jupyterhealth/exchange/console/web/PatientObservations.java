package org.jupyterhealth.exchange.console.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestMulti;
import org.jupyterhealth.exchange.console.api.AdminApi;
import org.jupyterhealth.exchange.console.api.SignedInUser;
import org.jupyterhealth.exchange.console.api.AdminModel.Code;
import org.jupyterhealth.exchange.console.api.AdminModel.ConsentsView;
import org.jupyterhealth.exchange.console.api.AdminModel.Patient;
import org.jupyterhealth.exchange.console.api.AdminModel.Profile;
import org.jupyterhealth.exchange.console.api.AdminModel.ScopeConsent;
import org.jupyterhealth.exchange.console.api.AdminModel.StudyConsents;
import org.jupyterhealth.exchange.console.observation.ObservationReader;
import org.jupyterhealth.exchange.console.observation.ObservationSeries;
import org.jupyterhealth.exchange.console.observation.ReducedSeries;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * A patient's observations: the page with the plot's form, and the plot's data, table and CSV for a code and range.
 * The page is rendered without the data; its script asks for the plot's series reduced to the screen
 * ({@link ReducedSeries}, again on each zoom) and for the latest observations as they are, both as compact arrays
 * read from the FHIR API as the user may see them (a revoked consent leaves the plot empty). The CSV file holds every
 * observation of the range exactly.
 */
@Path("/console/patients/{id}/observations")
@Authenticated
public class PatientObservations {
    private static final Logger LOG = Logger.getLogger(PatientObservations.class);
    static final int DEFAULT_POINTS = 1000;
    static final int MIN_POINTS = 10;
    static final int MAX_POINTS = 2000;
    static final int TABLE_ROWS = 100;

    private final AdminApi admin;
    private final SignedInUser user;
    private final ObservationReader reader;
    private final SecurityIdentity identity;

    public PatientObservations(@RestClient AdminApi admin, SignedInUser user, ObservationReader reader,
            SecurityIdentity identity) {
        this.admin = admin;
        this.user = user;
        this.reader = reader;
        this.identity = identity;
    }

    @CheckedTemplate(basePath = "pages")
    static class Templates {
        static native TemplateInstance observations(Profile me, Patient patient, List<Code> codes, Code selected,
                PlotRange range, String dataUrl, String csvUrl, String latestUrl);
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
        return user.profile().flatMap(me -> Uni.combine().all()
                .unis(admin.patient(patientId), admin.consents(patientId)
                        // a superuser outside the patient's organizations: no consents to plot by (see Pages)
                        .onFailure(e -> me.isSuperuser() && e instanceof jakarta.ws.rs.WebApplicationException w
                                && w.getResponse().getStatus() == 403)
                        .recoverWithNull())
                .asTuple()
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
                            query == null ? null : "/console/patients/" + patientId + "/observations/csv" + query,
                            query == null ? null : "/console/patients/" + patientId + "/observations/latest" + query);
                    return FormPages.withStatus(range.valid() ? 200 : 400, page);
                }));
    }

    /**
     * The plot's data, reduced to the screen by the FHIR API ({@link ReducedSeries}): {@code points} time buckets
     * (from 10 to 2000; 1000 when not given or empty) over the chosen days, or, when the plot is zoomed, over
     * [{@code start}, {@code end}) in epoch seconds within those days. Each zoom asks again, so the buckets narrow
     * until each holds one observation as it is.
     */
    @GET
    @Path("/series")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> series(@PathParam("id") String id, @QueryParam("code") String code,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("start") String start,
            @QueryParam("end") String end, @QueryParam("points") String points) {
        long patientId = Inputs.id(id, "patient id");
        PlotRange range = PlotRange.require(code, from, to);
        Instant first = range.start();
        Instant last = range.end();
        if (start != null || end != null) {
            first = Instant.ofEpochSecond(seconds(start, first, last));
            last = Instant.ofEpochSecond(seconds(end, first, last));
            if (!last.isAfter(first)) {
                throw new Inputs.BadInput("The end of a zoomed plot must be after its start.");
            }
        }
        int buckets = DEFAULT_POINTS;
        if (points != null && !points.isEmpty()) {
            if (!points.matches("[0-9]{1,4}") || Integer.parseInt(points) < MIN_POINTS
                    || Integer.parseInt(points) > MAX_POINTS) {
                throw new Inputs.BadInput("A plot has from " + MIN_POINTS + " to " + MAX_POINTS + " points.");
            }
            buckets = Integer.parseInt(points);
        }
        long shownFrom = first.getEpochSecond();
        long shownTo = last.getEpochSecond();
        return reader.reduced(token(), patientId, range.code(), first, last, buckets)
                .map(series -> Response.ok((StreamingOutput) out -> series.writeJson(range.code(), shownFrom,
                        shownTo, out),
                        MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build());
    }

    /**
     * The table's rows: the latest {@value #TABLE_ROWS} observations of the chosen days exactly as stored, newest
     * first, as arrays ({@link ObservationSeries}); all of them are in the CSV file.
     */
    @GET
    @Path("/latest")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> latest(@PathParam("id") String id, @QueryParam("code") String code,
            @QueryParam("from") String from, @QueryParam("to") String to) {
        long patientId = Inputs.id(id, "patient id");
        PlotRange range = PlotRange.require(code, from, to);
        return reader.latest(token(), patientId, range.code(), range.start(), range.end(), TABLE_ROWS)
                .map(series -> Response.ok((StreamingOutput) out -> series.writeJson(range.code(), out),
                        MediaType.APPLICATION_JSON_TYPE).header("Cache-Control", "no-store").build());
    }

    /** Epoch seconds within [{@code first}, {@code last}]; none means the bound it replaces. */
    private static long seconds(String value, Instant first, Instant last) {
        if (value == null || value.isEmpty()) {
            throw new Inputs.BadInput("A zoomed plot needs both its start and its end.");
        }
        if (!value.matches("[0-9]{1,12}")) {
            throw new Inputs.BadInput("The start and end of a zoomed plot are whole seconds.");
        }
        long seconds = Long.parseLong(value);
        if (seconds < first.getEpochSecond() || seconds > last.getEpochSecond()) {
            throw new Inputs.BadInput("A zoomed plot stays within the chosen days.");
        }
        return seconds;
    }

    /**
     * The same data as a CSV file to download, one row per data point, streamed as it is read from the FHIR API
     * ({@link ObservationReader#csv}): a refusal or an unreachable API before the first line is the usual error page;
     * a failure after it breaks the connection off without the body's last chunk, so that the browser reports a
     * failed download rather than keep a file that looks complete. The file then never ends: ending it would write
     * that last chunk before the connection closes (Vert.x closes a response whose head is written only after its
     * pending writes), and the closed connection cancels the reading.
     */
    @GET
    @Path("/csv")
    @Produces("text/csv;charset=UTF-8")
    public Multi<Buffer> csv(@PathParam("id") String id, @QueryParam("code") String code,
            @QueryParam("from") String from, @QueryParam("to") String to, @Context HttpServerResponse response) {
        long patientId = Inputs.id(id, "patient id");
        PlotRange range = PlotRange.require(code, from, to);
        String name = "patient-" + patientId + "-" + range.code().replaceAll("[^A-Za-z0-9.-]", "-") + "-"
                + range.from() + "-" + range.to() + ".csv";
        Multi<Buffer> file = reader.csv(token(), patientId, range.code(), range.start(), range.end())
                .onFailure(failure -> response.headWritten()).recoverWithMulti(failure -> {
                    LOG.warnf("a CSV download broke off after its first line: %s", failure.getClass().getName());
                    response.reset();
                    return Multi.createFrom().nothing();
                });
        return RestMulti.fromMultiData(file).header("Content-Disposition", "attachment; filename=\"" + name + "\"")
                .header("Cache-Control", "no-store").build();
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
        if (consents == null) {
            return List.of(); // not shown to this user (see Pages#consents)
        }
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
