package org.jupyterhealth.exchange.fhir.upload;

import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.hl7.fhir.r5.model.Observation;
import org.jupyterhealth.exchange.common.audit.AuditAction;
import org.jupyterhealth.exchange.common.fhir.ResourceStore;
import org.jupyterhealth.exchange.common.web.RequestIds;
import org.jupyterhealth.exchange.fhir.resource.StoreWrites;
import org.jupyterhealth.exchange.fhir.upload.UploadService.Finished;
import org.jupyterhealth.exchange.fhir.upload.UploadService.Pending;
import org.jupyterhealth.exchange.fhir.audit.AuditTrail;
import org.jupyterhealth.exchange.fhir.web.FhirRequest;

import ca.uhn.fhir.context.FhirContext;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * {@code POST /fhir/r5/Observation}: one Observation, ingested as a one-entry upload, answered 201 with
 * {@code Location} and the created Observation, or with the entry's failure as an OperationOutcome.
 */
@Path("/fhir/r5/Observation")
@Authenticated
public class ObservationCreateResource {
    private final UploadService service;
    private final UploadResponses responses;
    private final JsonWebToken token;
    private final FhirContext fhir;
    private final FhirRequest request;
    private final AuditTrail audit;
    private final StoreWrites store;

    public ObservationCreateResource(UploadService service, UploadResponses responses, JsonWebToken token,
            FhirContext fhir, FhirRequest request, AuditTrail audit, StoreWrites store) {
        this.audit = audit;
        this.store = store;
        this.service = service;
        this.responses = responses;
        this.token = token;
        this.fhir = fhir;
        this.request = request;
    }

    @POST // on the event loop: the service reads the body on a worker thread and answers on this request's context
    public Uni<Response> createObservation(byte[] body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
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
        return service.uploadResource(body, uploader, RequestIds.acceptOrGenerate(requestId),
                UploadHttp.respondAsync(prefer), source)
                .invoke(answer -> {
                    if (answer instanceof Finished finished) {
                        audit.uploaded(finished.result(), finished.submitted());
                    } else if (answer instanceof Pending pending) {
                        audit.accepted(pending.submitted());
                    }
                })
                .chain(answer -> answer instanceof Finished finished && !finished.result().entries().isEmpty()
                        && (finished.result().entries().get(0).stored()
                                || finished.result().entries().get(0).expression() != null)
                        // an Observation that is not Open mHealth: written to the FHIR resource store
                        ? store.answer(answer, UploadHttp.returnPreference(prefer), base)
                        : Uni.createFrom().item(answer instanceof Finished finished
                                ? responses.createAnswer(finished.result(), submitted(body), base)
                                : responses.accepted(base + "/_upload/" + answer.uploadId())))
                .onFailure(UploadRejectedException.class).recoverWithItem(responses::rejected);
    }

    /** The Observation as it was sent (its body was UTF-8, or the upload would have been refused). */
    private Observation submitted(byte[] body) {
        try {
            return fhir.newJsonParser().parseResource(Observation.class, new String(body, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
