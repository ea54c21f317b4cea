package org.jupyterhealth.exchange.fhir.observation;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jupyterhealth.exchange.common.audit.AuditAction;
import org.jupyterhealth.exchange.common.web.PageRule;
import org.jupyterhealth.exchange.common.web.RequestIds;
import org.jupyterhealth.exchange.fhir.access.Caller;
import org.jupyterhealth.exchange.fhir.audit.AuditTrail;
import org.jupyterhealth.exchange.fhir.upload.ObservationDeletion;
import org.jupyterhealth.exchange.fhir.web.AdminPaging;
import org.jupyterhealth.exchange.fhir.web.FhirBasePath;
import org.jupyterhealth.exchange.fhir.web.FhirRequest;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * {@code /api/v1/observations} in the admin API's dialect, as the original serves it: the
 * observations the caller may read, consent included, newest first; filters in camelCase or snake_case; errors as
 * {@code {"detail": ...}}.
 */
@Path("/api/v1/observations")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class AdminObservationResource {
    private final ObservationService observations;
    private final JsonWebToken token;
    private final FhirRequest request;
    private final ObservationDeletion deletion;
    private final AuditTrail audit;

    public AdminObservationResource(ObservationService observations, JsonWebToken token, FhirRequest request,
            ObservationDeletion deletion, AuditTrail audit) {
        this.observations = observations;
        this.audit = audit;
        this.deletion = deletion;
        this.token = token;
        this.request = request;
    }

    @GET
    public Uni<Map<String, Object>> list(@Context UriInfo uri) {
        audit.intend(AuditAction.SEARCH, "Observation", null);
        MultivaluedMap<String, String> query = uri.getQueryParameters();
        PageRule paging = AdminPaging.of(query);
        Long organization = id(query, "organization_id", "organizationId");
        Long study = id(query, "study_id", "studyId");
        Long patient = id(query, "patient_id", "patientId");
        Long observation = id(query, "observation_id", "observationId");
        Caller caller = Caller.from(token);
        return observations.list(caller, organization, study, patient, observation, paging.offset(), paging.limit())
                .chain(first -> {
                    // page=last: the first page tells the count, and the last page is read unless it is the first
                    PageRule page = paging.resolve(first.count());
                    Uni<AdminObservationList> rows = page.offset() == paging.offset() ? Uni.createFrom().item(first)
                            : observations.list(caller, organization, study, patient, observation, page.offset(),
                                    page.limit());
                    return rows.invoke(list -> audit.search("Observation", uri.getRequestUri().getRawQuery(),
                            list.results().size(), list.results().stream().map(AdminObservationItem::subjectPatientId)
                                    .distinct().toList()))
                            .map(list -> AdminPaging.envelope(page, request.requestUri(), list.count(),
                            list.results()));
                });
    }

    @GET
    @Path("{id}")
    public Uni<AdminObservationItem> read(@PathParam("id") String id) {
        audit.intend(AuditAction.READ, "Observation", id);
        return observations.adminRead(Caller.from(token), id)
                .invoke(item -> audit.read("Observation", id, List.of(item.subjectPatientId())));
    }

    /** A patient deletes one of its own observations ({@link ObservationDeletion}): 204. */
    @DELETE
    @Path("{id}")
    public Uni<Response> delete(@PathParam("id") String id, @HeaderParam(RequestIds.HEADER) String requestId) {
        audit.intend(AuditAction.DELETE, "Observation", id);
        return deletion.delete(Caller.from(token), id, RequestIds.acceptOrGenerate(requestId),
                request.origin() + FhirBasePath.LOWER, true);
    }

    private static Long id(MultivaluedMap<String, String> query, String snake, String camel) {
        String value = query.getFirst(snake);
        String key = snake;
        if (value == null || value.isBlank()) {
            value = query.getFirst(camel);
            key = camel;
        }
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(key + " must be a whole number.");
        }
    }
}
