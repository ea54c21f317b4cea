package org.jupyterhealth.exchange.fhir.upload;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;

import org.hl7.fhir.r5.model.Observation;
import org.hl7.fhir.r5.model.OperationOutcome;
import org.hl7.fhir.r5.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r5.model.OperationOutcome.IssueType;
import org.hl7.fhir.r5.model.Resource;
import org.jupyterhealth.exchange.common.upload.EntryOutcome;
import org.jupyterhealth.exchange.common.upload.UploadEntry;
import org.jupyterhealth.exchange.common.upload.UploadEnvelope;
import org.jupyterhealth.exchange.common.upload.UploadResult;
import org.jupyterhealth.exchange.fhir.observation.ObservationJson;
import org.jupyterhealth.exchange.fhir.observation.ObservationMapper;
import org.jupyterhealth.exchange.fhir.observation.RenderedObservation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;

import ca.uhn.fhir.context.FhirContext;

/**
 * Renders upload outcomes as FHIR: a {@code batch-response} (or {@code transaction-response}) Bundle with one
 * entry per request entry, in order — {@code 201 Created} with {@code location} and, as {@code Prefer: return=}
 * asks, the stored resource (the default), nothing, or an OperationOutcome; or the failure's status with an
 * OperationOutcome — or, for a refused transaction or an upload that could not be decided, one OperationOutcome
 * naming the failing entries. Written by the service's one FhirContext.
 */
@Singleton
public class UploadResponses {
    static final String FHIR_JSON = "application/fhir+json";
    private static final JsonFactory JSON_FACTORY = new JsonFactory();
    private final FhirContext fhir;
    private final ObjectMapper mapper;

    public UploadResponses(FhirContext fhir, ObjectMapper mapper) {
        this.fhir = fhir;
        this.mapper = mapper;
    }

    /**
     * The answer to a Bundle upload, as the synchronous response and the finished status both give it. The
     * {@code batch-response} of a large upload is written straight to JSON (the same document HAPI FHIR writes for
     * the equivalent Bundle, element order included): on the upload path it is several times cheaper. A created
     * entry's stored resource is the resource the client sent with the id and {@code meta} it was stored with, as
     * the single create answers it: nothing is read back from the store on the upload path. An outcome read back
     * later (the status URL of an asynchronous upload) has no submitted resources at hand: its resources are read
     * from the store, all in one statement.
     *
     * @param submitted the uploaded entries, in order, or null when they are not at hand
     * @param fromStore the created observations read from the store, by id, when {@code submitted} is null
     */
    public Response bundleAnswer(UploadResult result, List<UploadEntry> submitted,
            Map<Long, RenderedObservation> fromStore, ReturnPreference preference) {
        return bundleAnswer(result, submitted, fromStore, Map.of(), preference);
    }

    /**
     * The answer to a Bundle upload with entries of the FHIR resource store: theirs carry {@code location} and
     * {@code etag} of the version written and, as {@code Prefer: return=} asks, the resource as stored (read back
     * from the store: ingest-service sets its source, patient and version).
     *
     * @param written the stored resources the upload wrote, rendered, by id
     */
    public Response bundleAnswer(UploadResult result, List<UploadEntry> submitted,
            Map<Long, RenderedObservation> fromStore, Map<String, ObjectNode> written, ReturnPreference preference) {
        if (result.status() != UploadResult.PROCESSED) {
            return failure(result);
        }
        boolean transaction = UploadEnvelope.TRANSACTION.equals(result.bundleType());
        int perEntry = preference == ReturnPreference.REPRESENTATION ? 1400 : 160;
        StringWriter out = new StringWriter(64 + perEntry * result.entries().size());
        try (JsonGenerator json = JSON_FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("resourceType", "Bundle");
            json.writeStringField("type", transaction ? "transaction-response" : "batch-response");
            if (!result.entries().isEmpty()) {
                String lastModified = DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(
                        result.processedAt().atOffset(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS));
                json.writeArrayFieldStart("entry");
                for (int index = 0; index < result.entries().size(); index++) {
                    EntryOutcome outcome = result.entries().get(index);
                    json.writeStartObject();
                    if (outcome.created()) {
                        JsonNode resource = submitted == null ? null : submitted.get(index).resource();
                        RenderedObservation read = fromStore == null ? null : fromStore.get(outcome.observationId());
                        if (preference == ReturnPreference.REPRESENTATION && resource != null) {
                            json.writeFieldName("resource");
                            mapper.writeTree(json, stored(resource, outcome.observationId(), lastModified));
                        } else if (preference == ReturnPreference.REPRESENTATION && read != null) {
                            json.writeFieldName("resource");
                            ObservationJson.write(json, read);
                        }
                        json.writeObjectFieldStart("response");
                        json.writeStringField("status", "201 Created");
                        json.writeStringField("location", "Observation/" + outcome.observationId());
                        json.writeStringField("lastModified", lastModified);
                        if (preference == ReturnPreference.OPERATION_OUTCOME) {
                            json.writeObjectFieldStart("outcome");
                            json.writeStringField("resourceType", "OperationOutcome");
                            json.writeArrayFieldStart("issue");
                            json.writeStartObject();
                            json.writeStringField("severity", "information");
                            json.writeStringField("code", "informational");
                            json.writeStringField("diagnostics", "Created Observation/" + outcome.observationId()
                                    + ".");
                            json.writeEndObject();
                            json.writeEndArray();
                            json.writeEndObject();
                        }
                    } else if (outcome.stored()) {
                        writeStored(json, outcome, written.get(outcome.resourceId()), preference);
                    } else if (outcome.status() == 204) {
                        // a deletion's outcome (its status URL, when the deletion outlasted the wait)
                        json.writeObjectFieldStart("response");
                        json.writeStringField("status", "204 No Content");
                    } else {
                        json.writeObjectFieldStart("response");
                        json.writeStringField("status", statusLine(outcome.status()));
                        json.writeObjectFieldStart("outcome");
                        json.writeStringField("resourceType", "OperationOutcome");
                        json.writeArrayFieldStart("issue");
                        json.writeStartObject();
                        json.writeStringField("severity", "error");
                        json.writeStringField("code", issueType(outcome.issueCode()).toCode());
                        if (outcome.diagnostics() != null) {
                            json.writeStringField("diagnostics", outcome.diagnostics());
                        }
                        if (outcome.expression() != null) {
                            json.writeArrayFieldStart("expression");
                            json.writeString("Bundle.entry[" + index + "].resource."
                                    + outcome.expression().substring(outcome.expression().indexOf('.') + 1));
                            json.writeEndArray();
                        }
                        json.writeEndObject();
                        json.writeEndArray();
                        json.writeEndObject();
                    }
                    json.writeEndObject();
                    json.writeEndObject();
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Response.status(200).type(FHIR_JSON).entity(out.toString()).build();
    }

    /** A written entry of the FHIR resource store (its {@code response} left open, as the caller closes it). */
    private void writeStored(JsonGenerator json, EntryOutcome outcome, ObjectNode resource,
            ReturnPreference preference) throws IOException {
        String location = outcome.resourceType() + "/" + outcome.resourceId() + "/_history/" + outcome.versionId();
        if (preference == ReturnPreference.REPRESENTATION && resource != null && outcome.status() != 204) {
            json.writeFieldName("resource");
            mapper.writeTree(json, resource);
        }
        json.writeObjectFieldStart("response");
        json.writeStringField("status", outcome.status() == 201 ? "201 Created"
                : outcome.status() == 200 ? "200 OK" : "204 No Content");
        if (outcome.status() != 204) {
            json.writeStringField("location", location);
            json.writeStringField("etag", "W/\"" + outcome.versionId() + "\"");
            if (resource != null && resource.path("meta").has("lastUpdated")) {
                json.writeStringField("lastModified", resource.path("meta").path("lastUpdated").asText());
            }
        }
        if (preference == ReturnPreference.OPERATION_OUTCOME) {
            json.writeObjectFieldStart("outcome");
            json.writeStringField("resourceType", "OperationOutcome");
            json.writeArrayFieldStart("issue");
            json.writeStartObject();
            json.writeStringField("severity", "information");
            json.writeStringField("code", "informational");
            json.writeStringField("diagnostics", (outcome.status() == 201 ? "Created " : outcome.status() == 200
                    ? "Updated " : "Deleted ") + outcome.resourceType() + "/" + outcome.resourceId() + ".");
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    /** An entry's failure as an OperationOutcome with the status it is answered with. */
    public Response entryFailure(EntryOutcome outcome) {
        OperationOutcome answer = outcome(List.of(outcome), null);
        if (outcome.expression() != null) {
            answer.getIssueFirstRep().addExpression(outcome.expression());
        }
        return fhirResponse(outcome.status(), answer);
    }

    /** The answer to an upload that did not come to per-entry outcomes (503, 500, a refused transaction). */
    public Response uploadFailure(UploadResult result) {
        return failure(result);
    }

    /**
     * The resource as stored: what the client sent (parsed, or the text the Bundle reader kept), led by its type,
     * the id it was stored under and its {@code meta}, as a read writes them.
     */
    private ObjectNode stored(JsonNode submitted, long id, String lastUpdated) throws IOException {
        JsonNode sent = submitted instanceof POJONode raw && raw.getPojo() instanceof RawValue text
                ? mapper.readTree(text.rawValue().toString()) : submitted;
        ObjectNode resource = mapper.createObjectNode();
        resource.put("resourceType", "Observation");
        resource.put("id", Long.toString(id));
        resource.putObject("meta").put("lastUpdated", lastUpdated).put("source", ObservationMapper.SOURCE);
        sent.fields().forEachRemaining(field -> resource.putIfAbsent(field.getKey(), field.getValue()));
        return resource;
    }

    /** The answer to a single create: 201 with the created Observation, or the failure. */
    public Response createAnswer(UploadResult result, Observation submitted, String baseUrl) {
        if (result.status() != UploadResult.PROCESSED) {
            return failure(result);
        }
        EntryOutcome outcome = result.entries().get(0);
        if (!outcome.created()) {
            return fhirResponse(outcome.status(), outcome(List.of(outcome), null));
        }
        String id = Long.toString(outcome.observationId());
        Observation created = submitted == null ? new Observation() : submitted;
        created.setId(id);
        created.getMeta().setLastUpdated(Date.from(result.processedAt())).setSource(ObservationMapper.SOURCE);
        return Response.fromResponse(fhirResponse(201, created))
                .header("Location", baseUrl + "/Observation/" + id)
                .build();
    }

    /** An information OperationOutcome (its entity only is used). */
    public Response information(String diagnostics) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(IssueSeverity.INFORMATION).setCode(IssueType.INFORMATIONAL)
                .setDiagnostics(diagnostics);
        return fhirResponse(200, outcome);
    }

    /** 202: the upload runs; its outcome will be at {@code statusUrl}. */
    public Response accepted(String statusUrl) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(IssueSeverity.INFORMATION).setCode(IssueType.INFORMATIONAL)
                .setDiagnostics("The upload was accepted and is being processed; its outcome will be at "
                        + statusUrl + ".");
        return Response.fromResponse(fhirResponse(202, outcome))
                .header("Content-Location", statusUrl)
                .header("Retry-After", "1")
                .build();
    }

    /** A whole-request refusal: one OperationOutcome; a 503 says when to try again. */
    public Response rejected(Throwable failure) {
        UploadRejectedException rejected = (UploadRejectedException) failure;
        Response response = error(rejected.status(), rejected.issueCode(), rejected.getMessage());
        return rejected.status() == 503 ? Response.fromResponse(response).header("Retry-After", "5").build() : response;
    }

    /** 415: the body is not FHIR JSON by its declared type, so it is not read at all. */
    public Response unsupportedMediaType() {
        return error(415, "not-supported", "The request body must be FHIR JSON: Content-Type "
                + "application/fhir+json or application/json.");
    }

    public Response notAUser() {
        return error(403, "forbidden", "Only users can upload observations.");
    }

    public Response notFound() {
        return error(404, "not-found", "Not found.");
    }

    /** An OperationOutcome with one error issue. */
    public Response error(int status, String issueCode, String diagnostics) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(issueType(issueCode)).setDiagnostics(diagnostics);
        return fhirResponse(status, outcome);
    }

    private Response failure(UploadResult result) {
        List<EntryOutcome> failing = result.entries().stream()
                .filter(o -> !o.created() && !o.stored() && o.status() != 424).toList();
        String summary = switch (result.status()) {
            case UploadResult.UNAVAILABLE -> "Upload decisions are unavailable; nothing was stored. Try again later.";
            case UploadResult.FAILED -> "The upload could not be processed; nothing was stored.";
            default -> "The transaction was not stored: " + failing.size() + " of its " + result.entries().size()
                    + " entries failed.";
        };
        Response response = fhirResponse(result.status(), outcome(result.status() == UploadResult.UNAVAILABLE
                || result.status() == UploadResult.FAILED ? List.of() : failingWithIndex(result), summary));
        if (result.status() == UploadResult.UNAVAILABLE) {
            return Response.fromResponse(response).header("Retry-After", "5").build();
        }
        return response;
    }

    private static List<Indexed> failingWithIndex(UploadResult result) {
        List<Indexed> failing = new ArrayList<>();
        for (int i = 0; i < result.entries().size(); i++) {
            EntryOutcome o = result.entries().get(i);
            if (!o.created() && !o.stored() && o.status() != 424) {
                failing.add(new Indexed(i, o));
            }
        }
        return failing;
    }

    private record Indexed(int index, EntryOutcome outcome) {
    }

    private static OperationOutcome outcome(List<?> outcomes, String summary) {
        OperationOutcome result = new OperationOutcome();
        if (summary != null) {
            result.addIssue().setSeverity(IssueSeverity.ERROR)
                    .setCode(summary.startsWith("Upload decisions") ? IssueType.TRANSIENT
                            : summary.startsWith("The upload could not") ? IssueType.EXCEPTION : IssueType.PROCESSING)
                    .setDiagnostics(summary);
        }
        for (Object item : outcomes) {
            EntryOutcome o = item instanceof Indexed indexed ? indexed.outcome() : (EntryOutcome) item;
            var issue = result.addIssue().setSeverity(IssueSeverity.ERROR).setCode(issueType(o.issueCode()))
                    .setDiagnostics(o.diagnostics());
            if (item instanceof Indexed indexed) {
                issue.addExpression("Bundle.entry[" + indexed.index() + "]");
            }
        }
        return result;
    }

    private static IssueType issueType(String code) {
        try {
            return code == null ? IssueType.PROCESSING : IssueType.fromCode(code);
        } catch (Exception e) {
            return IssueType.PROCESSING;
        }
    }

    private Response fhirResponse(int status, Resource resource) {
        return Response.status(status)
                .type(FHIR_JSON)
                .entity(fhir.newJsonParser().encodeResourceToString(resource))
                .build();
    }

    static String statusLine(int status) {
        return status + " " + switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 412 -> "Precondition Failed";
            case 409 -> "Conflict";
            case 422 -> "Unprocessable Entity";
            case 424 -> "Failed Dependency";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }
}
