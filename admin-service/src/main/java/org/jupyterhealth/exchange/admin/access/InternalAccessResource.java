package org.jupyterhealth.exchange.admin.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
import org.jupyterhealth.exchange.admin.access.AccessService.UploadEntry;
import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.admin.web.QueryParams;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

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

    /**
     * The entries are an uploader's data, judged one by one: an entry whose ids are not ids, or whose code holds
     * what no code has, is refused on its own (its code is not found) rather than failing the whole upload.
     */
    @POST
    @Path("/uploads")
    @Operation(hidden = true)
    public Uni<Map<String, List<Decision>>> uploads(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw Errors.invalid("The request body must be a JSON object.");
        }
        Long userId = id(json.get("userId"));
        if (userId == null) {
            throw Errors.invalid("userId", "A valid integer is required.");
        }
        JsonNode items = json.get("entries");
        List<UploadEntry> entries = new ArrayList<>();
        if (items != null && items.isArray()) {
            for (JsonNode entry : items) {
                entries.add(new UploadEntry(id(entry.get("patientId")), text(entry.get("system")),
                        text(entry.get("code")), id(entry.get("dataSourceId"))));
            }
        }
        return access.subject(userId)
                .flatMap(subject -> access.decideUploads(subject, entries))
                .map(decisions -> Map.of("entries", decisions.stream()
                        .map(d -> new Decision(d.status(), d.detail(), d.codeId())).toList()));
    }

    private static Long id(JsonNode value) {
        if (value != null && value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (value != null && value.isTextual() && value.textValue().matches("[0-9]{1,18}")) {
            return Long.parseLong(value.textValue());
        }
        return null;
    }

    private static String text(JsonNode value) {
        return value != null && value.isTextual() ? value.textValue() : null;
    }
}
