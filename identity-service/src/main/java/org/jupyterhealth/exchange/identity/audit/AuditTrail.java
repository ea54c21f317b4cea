package org.jupyterhealth.exchange.identity.audit;

import org.jupyterhealth.exchange.common.audit.AuditAction;
import org.jupyterhealth.exchange.common.audit.AuditEvent;

import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * What a request did to an account, as the token endpoint, the sign-in form and the revocation endpoint tell it
 * ({@code TokenAudit}): a sign-in, a failed one, a token granted or refused, a revocation. {@link AuditFilter} turns
 * it into the request's one audit event once the answer's status is known. Never the secret, token or password.
 *
 * <p>Kept in the request's Vert.x (duplicated) context, as the request id of the log lines is: the endpoints tell it
 * from callbacks where the CDI request context is not active, on the request's own context all the same.
 */
public final class AuditTrail {
    private static final String KEY = AuditTrail.class.getName();

    private AuditAction action;
    private String outcome;
    private String clientId;
    private Long userId;

    /**
     * Notes the account event of the current request; outside a request (a scheduled job) there is nothing to
     * note. The last one told wins: a request makes one event.
     */
    public static void note(AuditAction action, boolean refused, String clientId, Long userId) {
        Context context = Vertx.currentContext();
        // a request runs on a duplicated context of its own; the event loop's root context is shared by all
        if (context == null || !VertxContext.isDuplicatedContext(context)) {
            return;
        }
        AuditTrail trail = new AuditTrail();
        context.putLocal(KEY, trail);
        trail.action = action;
        trail.outcome = refused ? AuditEvent.REFUSED : AuditEvent.SUCCESS;
        trail.clientId = clientId;
        trail.userId = userId;
    }

    /**
     * A refusal as {@code TokenAudit} tells it: wrong credentials at the sign-in form or the password grant are a
     * failed sign-in; any other refusal at the token or revocation endpoint is a refused token or revocation.
     */
    public static void noteRefusal(String grant, String clientId, Long userId, String error) {
        boolean signIn = ("authorization_code".equals(grant) && "access_denied".equals(error))
                || ("password".equals(grant) && "invalid_grant".equals(error));
        AuditAction action = signIn ? AuditAction.LOGIN_FAILED
                : "revocation".equals(grant) ? AuditAction.REVOKE : AuditAction.TOKEN;
        note(action, true, clientId, userId);
    }

    /** The trail of the request whose context this is; null when nothing was told. */
    static AuditTrail current() {
        Context context = Vertx.currentContext();
        return context == null || !VertxContext.isDuplicatedContext(context) ? null : context.getLocal(KEY);
    }

    AuditAction action() {
        return action;
    }

    String outcome() {
        return outcome;
    }

    String clientId() {
        return clientId;
    }

    Long userId() {
        return userId;
    }
}
