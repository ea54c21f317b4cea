package org.jupyterhealth.exchange.fhir.audit;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.hl7.fhir.r5.model.Bundle;
import org.hl7.fhir.r5.model.Bundle.BundleType;
import org.hl7.fhir.r5.model.Bundle.SearchEntryMode;
import org.jupyterhealth.exchange.common.audit.AuditAction;
import org.jupyterhealth.exchange.common.audit.AuditJson;
import org.jupyterhealth.exchange.fhir.access.AccessQuery;
import org.jupyterhealth.exchange.fhir.access.AccessService;
import org.jupyterhealth.exchange.fhir.access.Caller;
import org.jupyterhealth.exchange.fhir.audit.AuditEventRepository.StoredEvent;
import org.jupyterhealth.exchange.fhir.search.SearchRequest;
import org.jupyterhealth.exchange.fhir.web.FhirBasePath;
import org.jupyterhealth.exchange.fhir.web.FhirMediaTypes;
import org.jupyterhealth.exchange.fhir.web.FhirRequest;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * {@code GET /fhir/r5/AuditEvent}: the audit trail (docs/compatibility.md#audit-trail). A superuser searches every
 * event; a patient gets its access report, the events about its own data only, whatever it asks for; anyone else
 * is refused (403). Newest first, paged by {@code _count} and the {@code next} link.
 */
@Path(FhirBasePath.LOWER + "/AuditEvent")
@Authenticated
@Produces({ FhirMediaTypes.FHIR_JSON, FhirMediaTypes.JSON })
public class AuditEventResource {
    private final AuditEventRepository repository;
    private final AccessService access;
    private final JsonWebToken token;
    private final FhirRequest request;
    private final AuditTrail audit;

    public AuditEventResource(AuditEventRepository repository, AccessService access, JsonWebToken token,
            FhirRequest request, AuditTrail audit) {
        this.repository = repository;
        this.access = access;
        this.token = token;
        this.request = request;
        this.audit = audit;
    }

    @GET
    public Uni<Bundle> search(@Context UriInfo uri, @HeaderParam("Prefer") String prefer) {
        audit.intend(AuditAction.SEARCH, "AuditEvent", null);
        Caller caller = Caller.from(token);
        Map<String, List<String>> query = uri.getQueryParameters();
        AuditEventSearch search = AuditEventSearch.from(query, SearchRequest.isStrict(prefer));
        Uni<AuditEventSearch> allowed;
        if (caller.superuser()) {
            allowed = Uni.createFrom().item(search);
        } else if (caller.isPatient()) {
            // a patient sees itself only (admin-service's answer): its own access report
            allowed = access.visiblePatients(AccessQuery.of(caller.userId()))
                    .map(own -> search.onlyAbout(List.copyOf(own)));
        } else {
            throw new ForbiddenOperationException("Only a superuser, or a patient for its own data, may read the "
                    + "audit trail.");
        }
        return allowed.chain(narrowed -> repository.search(narrowed, narrowed.count() + 1)
                .map(rows -> {
                    audit.search("AuditEvent", uri.getRequestUri().getRawQuery(), Math.min(rows.size(),
                            narrowed.count()), narrowed.patients() == null ? List.of() : narrowed.patients());
                    return bundle(uri, rows, narrowed.count(), caller.superuser());
                }));
    }

    /**
     * The page as a searchset. Only a superuser sees the network address each access came from: a patient's access
     * report says who read its data, when and through which app, not where the clinic's staff sat.
     */
    private Bundle bundle(UriInfo uri, List<StoredEvent> rows, int count, boolean withAddresses) {
        Bundle bundle = new Bundle().setType(BundleType.SEARCHSET);
        bundle.getMeta().setLastUpdated(new Date());
        bundle.addLink().setRelation(Bundle.LinkRelationTypes.SELF).setUrl(request.requestUri().toString());
        List<StoredEvent> page = rows.size() > count ? rows.subList(0, count) : rows;
        if (rows.size() > count) {
            StoredEvent last = page.get(page.size() - 1);
            String cursor = new AuditEventSearch.Cursor(last.recordedAt(), last.eventId()).encode();
            bundle.addLink().setRelation(Bundle.LinkRelationTypes.NEXT).setUrl(nextUrl(uri, cursor));
        }
        String base = request.baseUrl() + "/AuditEvent/";
        for (StoredEvent row : page) {
            org.hl7.fhir.r5.model.AuditEvent event = AuditEventMapper.toFhir(AuditJson.read(row.event()));
            if (!withAddresses) {
                event.getAgent().forEach(agent -> agent.setNetwork(null));
            }
            bundle.addEntry().setFullUrl(base + row.eventId()).setResource(event)
                    .getSearch().setMode(SearchEntryMode.MATCH);
        }
        return bundle;
    }

    /** The request's own URL with {@code _cursor} replaced. */
    private String nextUrl(UriInfo uri, String cursor) {
        String self = request.requestUri().toString();
        int q = self.indexOf('?');
        String path = q < 0 ? self : self.substring(0, q);
        List<String> kept = new ArrayList<>();
        if (q >= 0) {
            for (String parameter : self.substring(q + 1).split("&")) {
                if (!parameter.isEmpty() && !parameter.startsWith("_cursor=")) {
                    kept.add(parameter);
                }
            }
        }
        kept.add("_cursor=" + cursor);
        return path + "?" + String.join("&", kept);
    }
}
