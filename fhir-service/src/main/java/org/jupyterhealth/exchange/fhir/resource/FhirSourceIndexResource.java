package org.jupyterhealth.exchange.fhir.resource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jupyterhealth.exchange.common.audit.AuditAction;
import org.jupyterhealth.exchange.common.upload.EntryOutcome;
import org.jupyterhealth.exchange.common.upload.UploadResult;
import org.jupyterhealth.exchange.common.web.RequestIds;
import org.jupyterhealth.exchange.fhir.access.Caller;
import org.jupyterhealth.exchange.fhir.audit.AuditTrail;
import org.jupyterhealth.exchange.fhir.upload.UploadService;
import org.jupyterhealth.exchange.fhir.upload.UploadService.Finished;
import org.jupyterhealth.exchange.fhir.web.FhirBasePath;
import org.jupyterhealth.exchange.fhir.web.FhirExceptionMapper;
import org.jupyterhealth.exchange.fhir.web.FhirRequest;
import org.jupyterhealth.exchange.fhir.web.PathIds;

import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * {@code POST /api/v1/fhir_sources/{id}/index_refs} (docs/compatibility.md#fhir-sources), in the admin API's dialect:
 * the patient whose FHIR source it is has the references among the source's resources rewritten to the store's ids
 * (ingest-service does it, as it does every write of the store), and is answered what was done:
 * {@code {"rowsIndexed", "refsRewritten", "refsNotFound"}}. Anyone else's source, or none, is 404; the rest of
 * {@code /api/v1/fhir_sources} is admin-service's.
 */
@Path("/api/v1/fhir_sources/{id}/index_refs")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class FhirSourceIndexResource {
    private final UploadService uploads;
    private final JsonWebToken token;
    private final FhirRequest request;
    private final AuditTrail audit;

    public FhirSourceIndexResource(UploadService uploads, JsonWebToken token, FhirRequest request, AuditTrail audit) {
        this.uploads = uploads;
        this.token = token;
        this.request = request;
        this.audit = audit;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> index(@PathParam("id") String rawId, @HeaderParam(RequestIds.HEADER) String requestId) {
        Caller caller = Caller.from(token);
        Long id = PathIds.parse(rawId);
        audit.intend(AuditAction.UPDATE, "FhirSource", id == null ? null : rawId);
        // a source is its patient's alone: to anyone else it does not exist (as admin-service's own answers say)
        if (id == null || !caller.isPatient()) {
            return Uni.createFrom().failure(notFound());
        }
        String statusUrl = request.origin() + FhirBasePath.LOWER + "/_upload/";
        return uploads.indexRefs(id, caller.userId(), RequestIds.acceptOrGenerate(requestId))
                .map(answer -> answer instanceof Finished finished ? answerOf(finished.result(), rawId)
                        : accepted(statusUrl + answer.uploadId()));
    }

    private Response answerOf(UploadResult result, String rawId) {
        if (result.status() == UploadResult.UNAVAILABLE) {
            throw new UnclassifiedServerFailureException(503,
                    "The indexing cannot be decided at the moment; nothing was changed. Try again later.");
        }
        if (result.status() != UploadResult.PROCESSED || result.entries().size() != 1) {
            throw new InternalErrorException("The indexing could not be processed.");
        }
        EntryOutcome outcome = result.entries().get(0);
        if (outcome.status() == 404) {
            throw notFound();
        }
        if (outcome.status() != 200 || outcome.refsIndexed() == null) {
            throw new InternalErrorException("The indexing could not be processed.");
        }
        EntryOutcome.RefsIndexed done = outcome.refsIndexed();
        audit.write(AuditAction.UPDATE, "FhirSource", List.of(rawId), List.of(), done.rowsIndexed());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("rowsIndexed", done.rowsIndexed());
        body.put("refsRewritten", done.refsRewritten());
        body.put("refsNotFound", done.refsNotFound());
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static ResourceNotFoundException notFound() {
        return new ResourceNotFoundException("Not found.");
    }

    private static Response accepted(String statusUrl) {
        return Response.fromResponse(FhirExceptionMapper.detail(202, "The indexing was accepted and is being "
                + "processed; its outcome will be at " + statusUrl + ".")).header("Content-Location", statusUrl)
                .header("Retry-After", "1").build();
    }
}
