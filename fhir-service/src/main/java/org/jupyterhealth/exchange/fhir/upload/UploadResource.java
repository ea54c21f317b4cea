package org.jupyterhealth.exchange.fhir.upload;

import java.util.Locale;
import java.util.UUID;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.hl7.fhir.r5.model.Observation;
import org.jupyterhealth.exchange.common.upload.UploadResult;
import org.jupyterhealth.exchange.common.web.RequestIds;
import org.jupyterhealth.exchange.fhir.upload.UploadService.Answer;
import org.jupyterhealth.exchange.fhir.upload.UploadService.Finished;
import org.jupyterhealth.exchange.fhir.web.FhirExceptionMapper;

import ca.uhn.fhir.context.FhirContext;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * Observation uploads (DECISIONS #14): {@code POST /fhir/r5} (batch or transaction Bundle, with or without the
 * trailing slash), {@code POST /fhir/r5/Observation}, and the status URL of an upload
 * {@code GET /fhir/r5/_upload/{id}} (only for its uploader). {@code Prefer: respond-async} answers 202 at once.
 * The same paths under {@code /FHIR/R5} are served by {@link UpperCaseUploadResource}.
 */
@Path("/fhir/r5")
@Authenticated
public class UploadResource {
    private final UploadService service;
    private final UploadResponses responses;
    private final JsonWebToken token;
    private final FhirContext fhir;

    public UploadResource(UploadService service, UploadResponses responses, JsonWebToken token, FhirContext fhir) {
        this.service = service;
        this.responses = responses;
        this.token = token;
        this.fhir = fhir;
    }

    /** The base path this resource serves, as the client wrote it. */
    protected String basePath() {
        return "fhir/r5";
    }

    @POST
    public Uni<Response> uploadBundle(String body, @HeaderParam("Prefer") String prefer,
            @HeaderParam(RequestIds.HEADER) String requestId, @Context UriInfo uri) {
        Long uploader = uploaderId();
        if (uploader == null) {
            return Uni.createFrom().item(notAUser());
        }
        return service.uploadBundle(body, uploader, RequestIds.acceptOrGenerate(requestId), respondAsync(prefer))
                .map(answer -> answer instanceof Finished finished
                        ? responses.bundleAnswer(finished.result())
                        : responses.accepted(statusUrl(uri, answer)))
                .onFailure(UploadRejectedException.class).recoverWithItem(UploadResource::rejected);
    }

    @POST
    @Path("Observation")
    public Uni<Response> createObservation(String body, @HeaderParam("Prefer") String prefer,
            @HeaderParam(RequestIds.HEADER) String requestId, @Context UriInfo uri) {
        Long uploader = uploaderId();
        if (uploader == null) {
            return Uni.createFrom().item(notAUser());
        }
        return service.uploadResource(body, uploader, RequestIds.acceptOrGenerate(requestId), respondAsync(prefer))
                .map(answer -> answer instanceof Finished finished
                        ? responses.createAnswer(finished.result(), submitted(body), base(uri))
                        : responses.accepted(statusUrl(uri, answer)))
                .onFailure(UploadRejectedException.class).recoverWithItem(UploadResource::rejected);
    }

    @GET
    @Path("_upload/{uploadId}")
    public Uni<Response> uploadStatus(@PathParam("uploadId") String uploadId, @Context UriInfo uri) {
        Long caller = uploaderId();
        UUID id = parseUuid(uploadId);
        if (caller == null || id == null) {
            return Uni.createFrom().item(notFound());
        }
        return service.find(id).map(known -> {
            // another user's upload is not theirs to know of: the same 404 as an unknown one
            if (known == null || known.uploaderUserId() != caller) {
                return notFound();
            }
            if (!known.finished()) {
                return responses.accepted(base(uri) + "/_upload/" + id);
            }
            UploadResult result = service.readResult(known.resultJson());
            return responses.bundleAnswer(result);
        });
    }

    private Long uploaderId() {
        String subject = token.getSubject();
        if (subject == null || !subject.matches("[1-9][0-9]{0,17}")) {
            return null;
        }
        return Long.parseLong(subject);
    }

    private static boolean respondAsync(String prefer) {
        return prefer != null && prefer.toLowerCase(Locale.ROOT).contains("respond-async");
    }

    private String base(UriInfo uri) {
        String base = uri.getBaseUri().toString();
        return (base.endsWith("/") ? base : base + "/") + basePath();
    }

    private String statusUrl(UriInfo uri, Answer answer) {
        return base(uri) + "/_upload/" + answer.uploadId();
    }

    private Observation submitted(String body) {
        try {
            return fhir.newJsonParser().parseResource(Observation.class, body);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static UUID parseUuid(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Response rejected(Throwable failure) {
        UploadRejectedException rejected = (UploadRejectedException) failure;
        Response response = FhirExceptionMapper.outcome(rejected.status(), rejected.issueCode(), rejected.getMessage());
        return rejected.status() == 503 ? Response.fromResponse(response).header("Retry-After", "5").build() : response;
    }

    private static Response notAUser() {
        return FhirExceptionMapper.outcome(403, "forbidden", "Only users can upload observations.");
    }

    private static Response notFound() {
        return FhirExceptionMapper.outcome(404, "not-found", "Not found.");
    }
}
