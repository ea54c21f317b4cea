package org.jupyterhealth.exchange.fhir.export;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r5.model.OperationOutcome.IssueType;
import org.hl7.fhir.r5.model.Parameters;
import org.hl7.fhir.r5.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r5.model.Reference;
import org.jupyterhealth.exchange.common.audit.AuditAction;
import org.jupyterhealth.exchange.fhir.access.Caller;
import org.jupyterhealth.exchange.fhir.audit.AuditTrail;
import org.jupyterhealth.exchange.fhir.web.FhirExceptionMapper;
import org.jupyterhealth.exchange.fhir.web.FhirMediaTypes;
import org.jupyterhealth.exchange.fhir.web.FhirRequest;
import org.jupyterhealth.exchange.fhir.web.PathIds;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import io.smallrye.mutiny.Uni;

/**
 * The HTTP side of bulk export (FHIR Bulk Data Access 2.0), shared by the kick-off endpoints of the three levels
 * and the job's status, cancel and file endpoints: reading the request (parameters from the query or a
 * Parameters body, the {@code Prefer} header), auditing it, and writing the answers the specification gives.
 */
@ApplicationScoped
public class ExportHttp {
    static final String NDJSON = "application/fhir+ndjson";

    private final ExportService service;
    private final ExportConfig config;
    private final JsonWebToken token;
    private final FhirRequest request;
    private final AuditTrail audit;
    private final FhirContext fhir;
    private final ObjectMapper json;

    public ExportHttp(ExportService service, ExportConfig config, JsonWebToken token, FhirRequest request,
            AuditTrail audit, FhirContext fhir, ObjectMapper json) {
        this.service = service;
        this.config = config;
        this.token = token;
        this.request = request;
        this.audit = audit;
        this.fhir = fhir;
        this.json = json;
    }

    /** A kick-off by GET: the parameters are the query's. */
    Uni<Response> kickOff(ExportService.Level level, String groupId, MultivaluedMap<String, String> query,
            HttpHeaders headers) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        query.forEach((name, values) -> parameters.put(name, new ArrayList<>(values)));
        return kickOff(level, groupId, parameters, headers);
    }

    /** A kick-off by POST: the parameters are a Parameters resource (an empty body is no parameters). */
    Uni<Response> kickOff(ExportService.Level level, String groupId, byte[] body, HttpHeaders headers) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (body != null && body.length > 0) {
            MediaType type = headers.getMediaType();
            if (type == null || !(type.isCompatible(MediaType.valueOf(FhirMediaTypes.FHIR_JSON))
                    || type.isCompatible(MediaType.APPLICATION_JSON_TYPE))) {
                return Uni.createFrom().item(FhirExceptionMapper.outcome(415, IssueType.NOTSUPPORTED,
                        "A kick-off's body is a Parameters resource in application/fhir+json."));
            }
            try {
                Parameters given = fhir.newJsonParser().parseResource(Parameters.class,
                        new String(body, java.nio.charset.StandardCharsets.UTF_8));
                for (ParametersParameterComponent parameter : given.getParameter()) {
                    parameters.computeIfAbsent(parameter.getName() == null ? "" : parameter.getName(),
                            n -> new ArrayList<>()).add(valueOf(parameter));
                }
            } catch (DataFormatException | ClassCastException | IllegalArgumentException e) {
                return Uni.createFrom().item(FhirExceptionMapper.outcome(400, IssueType.INVALID,
                        "The body is not a valid Parameters resource."));
            }
        }
        return kickOff(level, groupId, parameters, headers);
    }

    private static String valueOf(ParametersParameterComponent parameter) {
        if (parameter.getValue() instanceof Reference reference) {
            return reference.getReference() == null ? "" : reference.getReference();
        }
        if (parameter.getValue() instanceof IPrimitiveType<?> primitive && primitive.getValueAsString() != null) {
            return primitive.getValueAsString();
        }
        throw new IllegalArgumentException("a parameter without a simple value");
    }

    private Uni<Response> kickOff(ExportService.Level level, String groupId, Map<String, List<String>> parameters,
            HttpHeaders headers) {
        String auditType = level == ExportService.Level.GROUP ? "Group"
                : level == ExportService.Level.PATIENT ? "Patient" : "Bundle";
        audit.intend(AuditAction.EXPORT, auditType, groupId);
        List<String> prefer = preferences(headers);
        if (!prefer.contains("respond-async")) {
            return Uni.createFrom().failure(new InvalidRequestException(
                    "An export runs asynchronously: send the header Prefer: respond-async."));
        }
        Long group = null;
        if (level == ExportService.Level.GROUP) {
            group = PathIds.parse(groupId);
            if (group == null) {
                return Uni.createFrom().failure(new ResourceNotFoundException("Group/"
                        + (groupId.length() > 64 ? groupId.substring(0, 64) : groupId) + " is not known."));
            }
        }
        ExportRequest parsed;
        try {
            parsed = ExportRequest.parse(parameters, prefer.contains("handling=lenient"));
        } catch (InvalidRequestException e) {
            return Uni.createFrom().failure(e);
        }
        String requestUrl = request.requestUri().toString();
        Caller caller = Caller.from(token);
        return service.kickOff(caller, level, group, parsed, requestUrl)
                .invoke(kicked -> audit.write(AuditAction.EXPORT, auditType,
                        groupId == null ? List.of(kicked.id().toString()) : List.of(groupId, kicked.id().toString()),
                        kicked.patients(), null))
                .map(kicked -> Response.accepted()
                        .header("Content-Location", request.baseUrl() + "/_export/" + kicked.id())
                        .build())
                .onFailure(ExportLimitException.class).recoverWithItem(e -> Response.fromResponse(
                        FhirExceptionMapper.outcome(429, IssueType.THROTTLED, e.getMessage()))
                        .header(HttpHeaders.RETRY_AFTER, Long.toString(config.retryAfter().toSeconds() * 5))
                        .build());
    }

    /** The {@code Prefer} header's preferences, lower-cased ({@code respond-async}, {@code handling=lenient}). */
    static List<String> preferences(HttpHeaders headers) {
        List<String> found = new ArrayList<>();
        List<String> values = headers.getRequestHeader("Prefer");
        if (values != null) {
            for (String value : values) {
                for (String part : value.split("[,;]")) {
                    String trimmed = part.trim().toLowerCase(Locale.ROOT).replace(" ", "");
                    if (!trimmed.isEmpty()) {
                        found.add(trimmed);
                    }
                }
            }
        }
        return found;
    }

    /**
     * 202 with the progress while the job waits or runs (and, when the kick-off allowed partial manifests, the
     * files finished so far); 200 with the manifest once done; 500 when it failed.
     */
    Uni<Response> status(String id) {
        return service.status(Caller.from(token), id).map(view -> {
            ExportJob job = view.job();
            String retryAfter = Long.toString(Math.max(1, config.retryAfter().toSeconds()));
            return switch (job.status()) {
                case ExportJob.COMPLETED -> Response.ok(manifest(view), MediaType.APPLICATION_JSON_TYPE)
                        .header("Expires", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                                .format(job.expiresAt()))
                        .build();
                case ExportJob.FAILED -> FhirExceptionMapper.outcome(500, IssueType.EXCEPTION,
                        job.failure() == null ? "The export failed." : job.failure());
                // with allowPartialManifests (Bulk Data 3.0), the files finished so far are listed while the
                // export runs, in a manifest sent with the 202, so that a client downloads them meanwhile
                default -> (job.spec().listsFilesEarly() && !view.files().isEmpty()
                        ? Response.accepted(manifest(view)).type(MediaType.APPLICATION_JSON_TYPE)
                        : Response.accepted())
                        .header("X-Progress", progress(job))
                        .header(HttpHeaders.RETRY_AFTER, retryAfter).build();
            };
        });
    }

    static String progress(ExportJob job) {
        if (ExportJob.QUEUED.equals(job.status())) {
            return "queued";
        }
        long estimated = Math.max(job.estimated(), 1);
        long percent = Math.min(99, job.written() * 100 / estimated);
        return percent + "% (" + job.written() + " of about " + job.estimated() + " resources written)";
    }

    private String manifest(ExportService.JobView view) {
        ExportJob job = view.job();
        ObjectNode manifest = json.createObjectNode();
        manifest.put("transactionTime", job.transactionTime().toInstant().toString());
        manifest.put("request", job.requestUrl());
        manifest.put("requiresAccessToken", true);
        ArrayNode output = manifest.putArray("output");
        ArrayNode error = manifest.putArray("error");
        String base = request.baseUrl() + "/_export/" + job.id() + "/";
        for (ExportFile file : view.files()) {
            ObjectNode entry = ("error".equals(file.kind()) ? error : output).addObject();
            entry.put("type", file.resourceType());
            entry.put("url", base + file.name());
            entry.put("count", file.resources());
            // the file's size in bytes as stored (uncompressed), so that a client can tell a file it holds, or has
            // just downloaded, from one cut short or damaged: a count of lines alone cannot
            entry.putObject("extension").put("size", file.bytes());
        }
        // the access decided at kick-off: which patients' data the export could contain
        ObjectNode extension = manifest.putObject("extension");
        ArrayNode patients = extension.putArray("patients");
        job.spec().allPatients().forEach(p -> patients.add("Patient/" + p));
        try {
            return json.writeValueAsString(manifest);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Cancels the job and removes its files: 202. */
    Uni<Response> cancel(String id) {
        return service.cancel(Caller.from(token), id).map(x -> Response.accepted().build());
    }

    /**
     * One finished file of a job (done, or running with partial manifests), as NDJSON (compressed when the client
     * accepts gzip).
     */
    Uni<Response> file(String id, String name) {
        audit.intend(AuditAction.EXPORT, "Bundle", id);
        return service.file(Caller.from(token), id, name)
                .invoke(view -> audit.write(AuditAction.EXPORT, view.file().resourceType(),
                        List.of(id + "/" + name), view.job().spec().allPatients(), (int) Math.min(Integer.MAX_VALUE,
                                view.file().resources())))
                .map(view -> Response.ok(view.path().toFile(), NDJSON).build());
    }
}
