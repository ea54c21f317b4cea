package org.jupyterhealth.exchange.fhir.upload;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jupyterhealth.exchange.common.fhir.ResourceStore;
import org.jupyterhealth.exchange.common.upload.EntryOutcome;
import org.jupyterhealth.exchange.common.upload.UploadResult;
import org.jupyterhealth.exchange.common.audit.AuditAction;
import org.jupyterhealth.exchange.common.web.RequestIds;
import org.jupyterhealth.exchange.fhir.observation.ObservationService;
import org.jupyterhealth.exchange.fhir.resource.StoreWrites;
import org.jupyterhealth.exchange.fhir.upload.UploadService.Finished;
import org.jupyterhealth.exchange.fhir.upload.UploadService.Pending;
import org.jupyterhealth.exchange.fhir.audit.AuditTrail;
import org.jupyterhealth.exchange.fhir.web.FhirRequest;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * Bundle uploads: {@code POST /fhir/r5} with a batch or transaction Bundle (with or without the
 * trailing slash), answered with the batch-response once ingested, or with 202 and a status URL
 * ({@code Prefer: respond-async}, or when the wait for the outcome ends first); and that status URL,
 * {@code GET /fhir/r5/_upload/{id}}, which only the uploader may read. The same under {@code /FHIR/R5}.
 */
@Path("/fhir/r5")
@Authenticated
public class UploadResource {
    private final UploadService service;
    private final ObservationService observations;
    private final UploadResponses responses;
    private final JsonWebToken token;
    private final FhirRequest request;
    private final AuditTrail audit;
    private final StoreWrites written;

    public UploadResource(UploadService service, ObservationService observations, UploadResponses responses,
            JsonWebToken token, FhirRequest request, AuditTrail audit, StoreWrites written) {
        this.audit = audit;
        this.written = written;
        this.service = service;
        this.observations = observations;
        this.responses = responses;
        this.token = token;
        this.request = request;
    }

    @POST // on the event loop: the service reads the body on a worker thread and answers on this request's context
    public Uni<Response> uploadBundle(byte[] body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam("Prefer") String prefer, @HeaderParam(RequestIds.HEADER) String requestId,
            @HeaderParam(ResourceStore.SOURCE_HEADER) String sourceHeader) {
        if (!UploadHttp.isFhirJson(contentType)) {
            return Uni.createFrom().item(responses.unsupportedMediaType());
        }
        Long uploader = UploadHttp.uploaderId(token);
        if (uploader == null) {
            return Uni.createFrom().item(responses.notAUser());
        }
        Long source = ResourceStore.sourceId(sourceHeader);
        if (sourceHeader != null && source == null) {
            return Uni.createFrom().item(responses.error(400, "invalid", ResourceStore.SOURCE_HEADER
                    + " must be the id of a FhirSource."));
        }
        String base = request.baseUrl();
        audit.intend(AuditAction.CREATE, "Observation", null);
        return service.uploadBundle(body, uploader, RequestIds.acceptOrGenerate(requestId),
                UploadHttp.respondAsync(prefer), source)
                .invoke(answer -> {
                    if (answer instanceof Finished finished) {
                        audit.uploaded(finished.result(), finished.submitted());
                    } else if (answer instanceof Pending pending) {
                        audit.accepted(pending.submitted());
                    }
                })
                .chain(answer -> answer instanceof Finished finished
                        ? written.rendered(finished.result()).map(resources -> responses.bundleAnswer(
                                finished.result(), finished.submitted(), null, resources,
                                UploadHttp.returnPreference(prefer)))
                        : Uni.createFrom().item(responses.accepted(base + "/_upload/" + answer.uploadId())))
                .onFailure(UploadRejectedException.class).recoverWithItem(responses::rejected);
    }

    @GET
    @Path("_upload/{uploadId}")
    public Uni<Response> uploadStatus(@PathParam("uploadId") String uploadId) {
        Long caller = UploadHttp.uploaderId(token);
        UUID id = parseUuid(uploadId);
        if (caller == null || id == null) {
            return Uni.createFrom().item(responses.notFound());
        }
        String base = request.baseUrl();
        return service.find(id).chain(known -> {
            // another user's upload is not theirs to know of: the same 404 as an unknown one
            if (known == null || known.uploaderUserId() != caller) {
                return Uni.createFrom().item(responses.notFound());
            }
            if (!known.finished()) {
                return Uni.createFrom().item(responses.accepted(base + "/_upload/" + id));
            }
            UploadResult result = service.readResult(known.resultJson());
            List<Long> created = result.entries().stream().filter(EntryOutcome::created)
                    .map(EntryOutcome::observationId).toList();
            return Uni.combine().all().unis(observations.stored(created), written.rendered(result)).asTuple()
                    .map(both -> {
                        // the answer shows what the upload stored: a read of those resources, audited as one
                        List<Long> patients = new ArrayList<>();
                        both.getItem1().values().forEach(o -> addOnce(patients, o.row().patientId()));
                        both.getItem2().values().forEach(r -> addOnce(patients, AuditTrail.patientOf(r)));
                        audit.uploadRead(result, patients);
                        return responses.bundleAnswer(result, null, both.getItem1(), both.getItem2(),
                                ReturnPreference.REPRESENTATION);
                    });
        });
    }

    private static void addOnce(List<Long> patients, Long patient) {
        if (patient != null && !patients.contains(patient)) {
            patients.add(patient);
        }
    }

    private static UUID parseUuid(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
