package org.jupyterhealth.exchange.identity.oauth;

import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.common.audit.AuditAction;
import org.jupyterhealth.exchange.identity.audit.AuditTrail;

/**
 * The audit trail of the token endpoint: one structured line per token issued and per refusal, with the client,
 * the user and the grant; and of account activation, password change and password reset, with the user. Never a
 * secret, a token, a link, an e-mail address or a password. Sign-ins, grants and revocations are also told to the
 * request's {@link AuditTrail}, which makes them audit events on topic {@code audit-events}.
 */
public final class TokenAudit {
    private static final Logger LOG = Logger.getLogger("org.jupyterhealth.exchange.identity.audit");

    private TokenAudit() {
    }

    public static void issued(String grant, String clientId, Long userId, String scope) {
        AuditTrail.note(AuditAction.TOKEN, false, clientId, userId);
        LOG.infof("event=token_issued grant=%s client_id=%s user_id=%s scope=\"%s\"", grant, clientId, userId, scope);
    }

    /** An authorization code handed to a client after sign-in. */
    public static void codeIssued(String clientId, Long userId, String scope) {
        AuditTrail.note(AuditAction.LOGIN, false, clientId, userId);
        LOG.infof("event=code_issued grant=authorization_code client_id=%s user_id=%s scope=\"%s\"", clientId, userId,
                scope);
    }

    /** A token revoked at a client's request (RFC 7009). */
    public static void revoked(String clientId, Long userId, String tokenType) {
        AuditTrail.note(AuditAction.REVOKE, false, clientId, userId);
        LOG.infof("event=token_revoked client_id=%s user_id=%s token_type=%s", clientId, userId, tokenType);
    }

    /** A call to a protected endpoint (userinfo, /internal) refused. */
    public static void accessRefused(String path, int status, String reason) {
        LOG.infof("event=access_refused path=%s status=%d reason=\"%s\"", path, status, reason);
    }

    public static void refused(String grant, String clientId, Long userId, String error, String reason) {
        AuditTrail.noteRefusal(grant, clientId, userId, error);
        LOG.infof("event=token_refused grant=%s client_id=%s user_id=%s error=%s reason=\"%s\"", grant, clientId,
                userId, error, reason);
    }

    /** An activation link made for an account (for admin-service to e-mail). */
    public static void activationIssued(long userId) {
        LOG.infof("event=activation_issued user_id=%d", userId);
    }

    /** An account given its first password with an activation link. */
    public static void activated(long userId) {
        LOG.infof("event=account_activated user_id=%d", userId);
    }

    /** An activation refused: a link that does not work (user unknown), a password the policy refused. */
    public static void activationRefused(Long userId, String reason) {
        LOG.infof("event=activation_refused user_id=%s reason=\"%s\"", userId, reason);
    }

    /** An account's password changed by its owner; {@code revoked}: the access tokens of other sessions revoked. */
    public static void passwordChanged(long userId, int revoked) {
        LOG.infof("event=password_changed user_id=%d revoked_access_tokens=%d", userId, revoked);
    }

    /**
     * A reset link asked for at {@code POST /o/forgot}: the account's id (null when the address has no account) and
     * what came of it ({@code mail_queued}, {@code mail_capped}, {@code no_account}, {@code not_allowed},
     * {@code mail_disabled}, {@code failed}). Never the address that was typed: it may be someone else's, or a password typed by mistake.
     */
    public static void resetRequested(Long userId, String outcome) {
        LOG.infof("event=password_reset_requested user_id=%s outcome=%s", userId, outcome);
    }

    /** An account's password set with a reset link; {@code revoked}: the access tokens of its sessions revoked. */
    public static void passwordReset(long userId, int revoked) {
        LOG.infof("event=password_reset user_id=%d revoked_access_tokens=%d", userId, revoked);
    }

    /** A reset refused: a link that does not work (user unknown), a password the policy refused. */
    public static void resetRefused(Long userId, String reason) {
        LOG.infof("event=password_reset_refused user_id=%s reason=\"%s\"", userId, reason);
    }

    /** A password change refused: a wrong current password, a new one the policy refused, a locked account. */
    public static void passwordChangeRefused(Long userId, String reason) {
        LOG.infof("event=password_change_refused user_id=%s reason=\"%s\"", userId, reason);
    }
}
