package org.jupyterhealth.exchange.identity.audit;

import java.util.List;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jupyterhealth.exchange.common.audit.AuditEvent;
import org.jupyterhealth.exchange.common.audit.AuditUnavailableException;
import org.jupyterhealth.exchange.common.web.ErrorDialect;
import org.jupyterhealth.exchange.common.web.RequestIds;
import org.jupyterhealth.exchange.identity.web.ClientAddress;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * One audit event per sign-in, failed sign-in, token grant or refusal and revocation ({@link AuditTrail}), sent
 * before the answer is written. When the broker does not take it and auditing fails closed, the answer (a token, a
 * redirect with a code) is replaced by a 503 in the path's dialect: no credential is handed out unaudited; what was
 * issued is never used and expires.
 */
public class AuditFilter {
    static final String SERVICE = "identity-service";

    private final AuditProducer producer;
    private final ClientAddress clientAddress;

    public AuditFilter(AuditProducer producer, ClientAddress clientAddress) {
        this.producer = producer;
        this.clientAddress = clientAddress;
    }

    @ServerResponseFilter
    public Uni<Void> audit(ContainerRequestContext request, ContainerResponseContext response,
            HttpServerRequest http) {
        if (!producer.enabled()) {
            // auditing off: nothing of the request described, so that its cost is measured against no work at all
            return Uni.createFrom().voidItem();
        }
        AuditTrail trail = AuditTrail.current();
        if (trail == null) {
            return Uni.createFrom().voidItem();
        }
        String path = request.getUriInfo().getPath();
        AuditEvent event = AuditEvent.of(trail.action()).service(SERVICE).status(response.getStatus())
                .outcome(response.getStatus() >= 500 ? AuditEvent.FAILED : trail.outcome())
                .agent(trail.userId(), null, trail.clientId())
                .resource("Account", trail.userId() == null ? List.of() : List.of(trail.userId().toString()))
                // X-Forwarded-For believed only from the trusted proxies (jhe.identity.trusted-proxies)
                .request(request.getHeaderString(RequestIds.HEADER), clientAddress.of(http))
                .build();
        return producer.emit(event)
                .onFailure(AuditUnavailableException.class).recoverWithItem(failure -> {
                    ErrorDialect dialect = ErrorDialect.forPath(path);
                    response.getHeaders().clear();
                    response.setStatus(503);
                    response.getHeaders().putSingle(HttpHeaders.RETRY_AFTER, "5");
                    response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
                    response.setEntity(dialect.body(503, AuditUnavailableException.MESSAGE).getBytes(), null,
                            MediaType.valueOf(dialect.contentType()));
                    return null;
                });
    }
}
