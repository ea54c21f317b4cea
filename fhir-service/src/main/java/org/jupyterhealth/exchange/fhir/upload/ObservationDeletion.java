package org.jupyterhealth.exchange.fhir.upload;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import org.jupyterhealth.exchange.common.audit.AuditAction;
import org.jupyterhealth.exchange.common.upload.EntryOutcome;
import org.jupyterhealth.exchange.common.upload.UploadResult;
import org.jupyterhealth.exchange.fhir.access.Caller;
import org.jupyterhealth.exchange.fhir.audit.AuditTrail;
import org.jupyterhealth.exchange.fhir.observation.ObservationRepository;
import org.jupyterhealth.exchange.fhir.upload.UploadService.Finished;
import org.jupyterhealth.exchange.fhir.web.FhirExceptionMapper;
import org.jupyterhealth.exchange.fhir.web.PathIds;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import io.smallrye.mutiny.Uni;

/**
 * A patient deletes one of its own observations ({@code DELETE /fhir/r5/Observation/{id}},
 * {@code DELETE /api/v1/observations/{id}}). Only the patient may: practitioners are refused here, whatever they may
 * read. The deletion goes the way of an upload (ingest-service writes the observation store and decides whether the
 * observation is the caller's), and is answered once it is committed: 204, after which no search returns it. An
 * observation that does not exist, or is not the caller's, is the same 404. Failures are thrown as the FHIR
 * exceptions that {@link FhirExceptionMapper} answers in the dialect of the path.
 */
@ApplicationScoped
public class ObservationDeletion {
    private final UploadService uploads;
    private final ObservationRepository observations;
    private final UploadResponses responses;
    private final AuditTrail audit;

    public ObservationDeletion(UploadService uploads, ObservationRepository observations, UploadResponses responses,
            AuditTrail audit) {
        this.audit = audit;
        this.uploads = uploads;
        this.observations = observations;
        this.responses = responses;
    }

    /**
     * @param statusBase the base URL of the upload status ({@code …/fhir/r5}), named in a 202 when the deletion is
     *                   not done within the upload wait
     * @param admin      whether the answer is in the admin API's dialect ({@code {"detail"}}) rather than FHIR's
     */
    public Uni<Response> delete(Caller caller, String rawId, String requestId, String statusBase, boolean admin) {
        if (!caller.isPatient()) {
            throw new ForbiddenOperationException("Only the patient an observation belongs to can delete it.");
        }
        Long id = PathIds.parse(rawId);
        if (id == null) {
            throw notFound(rawId);
        }
        // the observation's patient keys the deletion onto the partition of that patient's uploads
        return observations.findById(id).chain(stored -> {
            if (stored == null) {
                throw notFound(rawId);
            }
            audit.write(AuditAction.DELETE, "Observation", List.of(rawId), List.of(stored.patientId()), null);
            return uploads.deleteObservation(id, stored.patientId(), caller.userId(), requestId);
        }).map(answer -> answer instanceof Finished finished ? answerOf(finished.result(), rawId)
                : accepted(statusBase + "/_upload/" + answer.uploadId(), admin));
    }

    private static Response answerOf(UploadResult result, String rawId) {
        if (result.status() == UploadResult.UNAVAILABLE) {
            throw new UnclassifiedServerFailureException(503,
                    "The deletion cannot be decided at the moment; nothing was deleted. Try again later.");
        }
        if (result.status() != UploadResult.PROCESSED || result.entries().size() != 1) {
            throw new InternalErrorException("The deletion could not be processed; nothing was deleted.");
        }
        EntryOutcome outcome = result.entries().get(0);
        BaseServerResponseException failure = switch (outcome.status()) {
            case 204 -> null;
            case 404 -> notFound(rawId);
            case 400 -> new InvalidRequestException(outcome.diagnostics());
            default -> new InternalErrorException("The deletion could not be processed; nothing was deleted.");
        };
        if (failure != null) {
            throw failure;
        }
        return Response.noContent().build();
    }

    private static ResourceNotFoundException notFound(String rawId) {
        return new ResourceNotFoundException("Observation/" + EntryOutcome.quote(rawId)
                + " is not an observation of yours.");
    }

    private Response accepted(String statusUrl, boolean admin) {
        if (!admin) {
            return responses.accepted(statusUrl);
        }
        return Response.fromResponse(FhirExceptionMapper.detail(202, "The deletion was accepted and is being "
                + "processed; its outcome will be at " + statusUrl + ".")).header("Content-Location", statusUrl)
                .header("Retry-After", "1").build();
    }
}
