package org.jupyterhealth.exchange.admin.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jupyterhealth.exchange.admin.patient.PatientResponse;
import org.jupyterhealth.exchange.admin.patient.PatientSummary;
import org.jupyterhealth.exchange.admin.web.Page;
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
 * One audit event per request on patient records and consents ({@code /api/v1/patients/**}), refused ones
 * included, told from the path, the method, the status and the answer's record (the patients listed, the patient
 * created), never from its content. A read whose event the broker does not take, while auditing fails closed, is
 * answered 503 instead of the data. A write has been committed by then: its answer stands and its event is kept in
 * the {@link AuditSpool} until the broker takes it (docs/architecture.md#audit-trail).
 */
public class AuditFilter {
    static final String SERVICE = "admin-service";
    private static final Pattern PATIENT_PATH = Pattern.compile(
            "/api/v1/patients(?:/(me|global_lookup|[0-9]{1,18}))?(?:/(consents|consolidated_clients|"
                    + "global_add_organization))?/?");

    private static final Logger LOG = Logger.getLogger(AuditFilter.class);

    private final AuditProducer producer;
    private final AuditSpool spool;
    private final CurrentIdentityAssociation identities;

    public AuditFilter(AuditProducer producer, AuditSpool spool, CurrentIdentityAssociation identities) {
        this.producer = producer;
        this.spool = spool;
        this.identities = identities;
    }

    @ServerResponseFilter
    public Uni<Void> audit(ContainerRequestContext request, ContainerResponseContext response,
            HttpServerRequest http) {
        if (!producer.enabled()) {
            // auditing off: nothing of the request described, so that its cost is measured against no work at all
            return Uni.createFrom().voidItem();
        }
        String path = request.getUriInfo().getPath();
        Matcher matched = path == null ? null : PATIENT_PATH.matcher(path);
        int status = response.getStatus();
        if (matched == null || !matched.matches() || status == 401 || status == 404 && matched.group(1) == null) {
            return Uni.createFrom().voidItem();
        }
        String method = request.getMethod();
        String target = matched.group(1);
        String sub = matched.group(2);
        boolean read = "GET".equals(method) || "HEAD".equals(method);
        Object entity = response.getEntity();
        List<Long> patients = new ArrayList<>();
        AuditEvent.Builder event;
        if ("consents".equals(sub)) {
            event = AuditEvent.of(read ? AuditAction.READ : AuditAction.CONSENT).resource("Consent", List.of());
        } else if (sub != null) {
            event = AuditEvent.of(read ? AuditAction.READ : AuditAction.UPDATE).resource("Patient", List.of());
        } else if (target == null || "global_lookup".equals(target)) {
            event = AuditEvent.of(read ? AuditAction.SEARCH : AuditAction.CREATE).resource("Patient", List.of());
            if (read) {
                event.search(request.getUriInfo().getRequestUri().getRawQuery(), status < 400 ? count(entity) : null);
            }
        } else {
            event = AuditEvent.of(switch (method) {
                case "PUT", "PATCH" -> AuditAction.UPDATE;
                case "DELETE" -> AuditAction.DELETE;
                default -> AuditAction.READ;
            }).resource("Patient", "me".equals(target) ? List.of() : List.of(target));
        }
        if (target != null && target.matches("[0-9]+")) {
            patients.add(Long.valueOf(target));
        }
        patientsOf(entity, patients);
        event.patients(patients).service(SERVICE).status(status)
                .request(request.getHeaderString(RequestIds.HEADER), clientAddress(http));
        // the caller as its identity says, resolved without blocking: a request refused before its token was read
        // (a body of the wrong media type, say) has not resolved it yet, and this runs on the event loop
        return identities.getDeferredIdentity().onFailure().recoverWithNull()
                .map(identity -> identity != null && identity.getPrincipal() instanceof JsonWebToken jwt ? jwt : null)
                .chain(token -> {
                    AuditEvent built = event.agent(AuditAgents.userId(token), AuditAgents.role(token),
                            AuditAgents.clientId(token)).build();
                    // a read waits for nothing while the broker takes events; a committed write waits for its
                    // acknowledgement so that an event the broker then fails to take is spooled, not lost
                    return (read ? producer.emit(built) : producer.emitAcknowledged(built))
                            .onFailure(AuditUnavailableException.class).recoverWithUni(failure -> {
                        if (!read) {
                            // committed: the answer stands, and its event waits in the spool for the broker
                            return spool.keep(built).onFailure().invoke(lost -> LOG.errorf(
                                    "audit event %s (%s) could be neither sent nor spooled: %s", built.id(),
                                    built.action(), lost.toString())).onFailure().recoverWithNull();
                        }
                        ErrorDialect dialect = ErrorDialect.DETAIL;
                        response.getHeaders().clear();
                        response.setStatus(503);
                        response.getHeaders().putSingle(HttpHeaders.RETRY_AFTER, "5");
                        response.setEntity(dialect.body(503, AuditUnavailableException.MESSAGE).getBytes(), null,
                                MediaType.valueOf(dialect.contentType()));
                        return Uni.createFrom().voidItem();
                    });
                });
    }

    private static Integer count(Object entity) {
        if (entity instanceof Page<?> page) {
            return page.results().size();
        }
        return entity instanceof List<?> list ? list.size() : null;
    }

    /** The patients an answer shows: a patient record, or the records of a page or a list. */
    private static void patientsOf(Object entity, List<Long> patients) {
        List<?> items = entity instanceof Page<?> page ? page.results()
                : entity instanceof List<?> list ? list : entity == null ? List.of() : List.of(entity);
        for (Object item : items) {
            Long id = item instanceof PatientResponse patient ? Long.valueOf(patient.id())
                    : item instanceof PatientSummary summary ? Long.valueOf(summary.id()) : null;
            if (id != null && !patients.contains(id)) {
                patients.add(id);
            }
        }
    }

    static String clientAddress(HttpServerRequest http) {
        return AuditAgents.clientAddress(http.getHeader("X-Forwarded-For"),
                http.remoteAddress() == null ? null : http.remoteAddress().hostAddress());
    }
}
