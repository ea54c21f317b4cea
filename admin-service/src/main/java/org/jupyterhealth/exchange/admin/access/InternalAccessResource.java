package org.jupyterhealth.exchange.admin.access;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jupyterhealth.exchange.admin.access.AccessService.Grant;
import org.jupyterhealth.exchange.admin.access.AccessService.Scope;
import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.admin.web.QueryParams;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.smallrye.mutiny.Uni;

/**
 * Access decisions for fhir-service and ingest-service (docs/internal-api.md), for service tokens only (scope
 * {@code internal}); a user's token is refused whatever the user's rights. Never routed by the gateway.
 */
@Path("/internal/access")
@RolesAllowed("internal")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InternalAccessResource {
    private final AccessService access;

    public InternalAccessResource(AccessService access) {
        this.access = access;
    }

    static Scope scope(QueryParams q) {
        return new Scope(q.id("organization_id"), q.id("study_id"), q.id("patient_id"));
    }

    public record Grants(List<Grant> grants) {
    }

    @GET
    @Path("/observations")
    @Operation(hidden = true)
    public Uni<Grants> observations(@Context UriInfo uri) {
        QueryParams q = QueryParams.of(uri);
        Scope scope = scope(q);
        return access.subject(q.id("user_id"))
                .call(subject -> access.checkScope(subject, scope))
                .flatMap(subject -> access.readableObservations(subject, scope))
                .map(Grants::new);
    }

    public record PatientIds(List<Long> patientIds) {
    }

    @GET
    @Path("/patients")
    @Operation(hidden = true)
    public Uni<PatientIds> patients(@Context UriInfo uri) {
        QueryParams q = QueryParams.of(uri);
        Scope scope = scope(q);
        return access.subject(q.id("user_id"))
                .call(subject -> access.checkScope(subject, scope))
                .flatMap(subject -> access.visiblePatients(subject, scope))
                .map(PatientIds::new);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Decision(int status, String detail, Long codeId) {
    }

    public record Decisions(List<Decision> entries) {
    }

    /** Each entry judged on its own ({@link UploadsRequest}); a body without a valid {@code userId} is a 400. */
    @POST
    @Path("/uploads")
    @Operation(hidden = true)
    public Uni<Decisions> uploads(UploadsRequest request) {
        if (request == null) {
            throw Errors.invalid("The request body must be a JSON object.");
        }
        if (request.userId() == null) {
            throw Errors.invalid("userId", "A valid integer is required.");
        }
        return access.subject(request.userId())
                .flatMap(subject -> access.decideUploads(subject, request.entries()))
                .map(decisions -> new Decisions(decisions.stream()
                        .map(d -> new Decision(d.status(), d.detail(), d.codeId())).toList()));
    }
}
