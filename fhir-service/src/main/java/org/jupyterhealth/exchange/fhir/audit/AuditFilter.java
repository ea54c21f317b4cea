package org.jupyterhealth.exchange.fhir.audit;

import java.util.List;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jupyterhealth.exchange.common.audit.AuditAction;
import org.jupyterhealth.exchange.common.audit.AuditAgents;
import org.jupyterhealth.exchange.common.audit.AuditEvent;
import org.jupyterhealth.exchange.common.audit.AuditUnavailableException;
import org.jupyterhealth.exchange.common.web.ErrorDialect;
import org.jupyterhealth.exchange.common.web.RequestIds;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * One audit event per request that touched health data (its {@link AuditTrail}) or was refused on a data path
 * (403), sent once the answer is known and before it is written. When the event cannot be handed to the broker
 * and auditing fails closed, the answer is replaced by a 503 in the path's dialect: nothing is served unaudited
 * (docs/architecture.md#audit-trail).
 */
public class AuditFilter {
    static final String SERVICE = "fhir-service";

    private final AuditTrail trail;
    private final AuditProducer producer;
    private final CurrentIdentityAssociation identities;

    public AuditFilter(AuditTrail trail, AuditProducer producer, CurrentIdentityAssociation identities) {
        this.trail = trail;
        this.producer = producer;
        this.identities = identities;
    }

    @ServerResponseFilter
    public Uni<Void> audit(ContainerRequestContext request, ContainerResponseContext response,
            HttpServerRequest http) {
        if (!producer.enabled()) {
            // auditing off: nothing of the request described, so that its cost is measured against no work at all
            return Uni.createFrom().voidItem();
        }
        int status = response.getStatus();
        String path = request.getUriInfo().getPath();
        if (!dataPath(path)) {
            return Uni.createFrom().voidItem();
        }
        AuditEvent.Builder event;
        if (trail.told()) {
            event = AuditEvent.of(trail.action()).resource(trail.resourceType(), trail.ids())
                    .patients(trail.patientIds());
            event = trail.action() == AuditAction.SEARCH ? event.search(trail.query(), status < 400 ? trail.count()
                    : null) : event.count(status < 400 ? trail.count() : null);
        } else if (status == 403) {
            event = refused(request.getMethod(), path);
        } else {
            return Uni.createFrom().voidItem();
        }
        AuditEvent.Builder described = event.service(SERVICE).status(status)
                .request(request.getHeaderString(RequestIds.HEADER), clientAddress(http));
        // the caller as its identity says, resolved without blocking: a request refused before its token was read
        // has not resolved it yet, and this runs on the event loop
        return identities.getDeferredIdentity().onFailure().recoverWithNull()
                .map(identity -> identity != null && identity.getPrincipal() instanceof JsonWebToken jwt ? jwt : null)
                .chain(token -> producer.emit(described.agent(AuditAgents.userId(token), AuditAgents.role(token),
                        AuditAgents.clientId(token)).build()))
                .onFailure(AuditUnavailableException.class).recoverWithItem(failure -> {
                    // the answer (data, a Location) is dropped: the client learns only that it may try again
                    ErrorDialect dialect = ErrorDialect.forPath(path.startsWith("/api/") ? path : "/fhir/r5/");
                    response.getHeaders().clear();
                    response.setStatus(503);
                    response.getHeaders().putSingle(HttpHeaders.RETRY_AFTER, "5");
                    response.setEntity(dialect.body(503, AuditUnavailableException.MESSAGE).getBytes(), null,
                            MediaType.valueOf(dialect.contentType()));
                    return null;
                });
    }

    /** The paths of patient data: FHIR (after the base is normalised) and the observation list. */
    static boolean dataPath(String path) {
        return path != null && (path.startsWith("/fhir/r5/") && !path.startsWith("/fhir/r5/metadata")
                && !path.startsWith("/fhir/r5/.well-known") || path.equals("/fhir/r5")
                || path.startsWith("/api/v1/observations"));
    }

    /** A refused request that never got as far as telling what it did: what it asked for, from its method and path. */
    static AuditEvent.Builder refused(String method, String path) {
        String[] segments = path.replaceFirst("^/(fhir/r5|api/v1)/?", "").split("/");
        String type = segments.length == 0 || segments[0].isEmpty() ? "Bundle"
                : segments[0].equals("observations") ? "Observation" : segments[0];
        // _search and operations ($series) name no resource: a refused one was a search
        String id = segments.length > 1 && !segments[1].startsWith("_") && !segments[1].startsWith("$") ? segments[1]
                : null;
        AuditAction action = switch (method) {
            case "GET", "HEAD" -> id == null ? AuditAction.SEARCH : AuditAction.READ;
            case "POST" -> path.endsWith("/_search") ? AuditAction.SEARCH : AuditAction.CREATE;
            case "PUT", "PATCH" -> AuditAction.UPDATE;
            case "DELETE" -> AuditAction.DELETE;
            default -> AuditAction.READ;
        };
        return AuditEvent.of(action).resource(type.length() > 64 ? type.substring(0, 64) : type,
                id == null ? List.of() : List.of(id));
    }

    static String clientAddress(HttpServerRequest http) {
        return AuditAgents.clientAddress(http.getHeader("X-Forwarded-For"),
                http.remoteAddress() == null ? null : http.remoteAddress().hostAddress());
    }
}
