package org.jupyterhealth.exchange.admin.invitation;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.account.IdentityClient.IssuedCode;
import org.jupyterhealth.exchange.admin.account.IdentityClient.NewAuthorizationCode;
import org.jupyterhealth.exchange.admin.account.IdentityClient;
import org.jupyterhealth.exchange.admin.config.AdminConfig;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.invitation.InvitationRepository.Invitation;
import org.jupyterhealth.exchange.admin.invitation.InvitationRepository.Invitee;
import org.jupyterhealth.exchange.admin.invitation.InvitationRepository.PatientApp;
import org.jupyterhealth.exchange.admin.invitation.InvitationRepository.Redeemable;
import org.jupyterhealth.exchange.admin.invitation.InvitationResponses.GrantResponse;
import org.jupyterhealth.exchange.admin.invitation.InvitationResponses.InvitationLinkResponse;
import org.jupyterhealth.exchange.admin.invitation.InvitationResponses.InvitationResponse;
import org.jupyterhealth.exchange.admin.invitation.InvitationResponses.IssuedInvitationResponse;
import org.jupyterhealth.exchange.admin.invitation.InvitationResponses.RedemptionResponse;
import org.jupyterhealth.exchange.admin.security.Caller;
import org.jupyterhealth.exchange.admin.web.AdminException.ConflictException;
import org.jupyterhealth.exchange.admin.web.AdminException.GoneException;
import org.jupyterhealth.exchange.admin.web.AdminException.NotFoundException;
import org.jupyterhealth.exchange.admin.web.AdminException.UnavailableException;
import org.jupyterhealth.exchange.admin.web.AdminException.ValidationException;
import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.admin.web.Page;
import org.jupyterhealth.exchange.admin.web.PageRequest;
import org.jupyterhealth.exchange.common.mail.MailOutbox;
import org.jupyterhealth.exchange.common.mail.MailTemplates;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Patient invitations, both flows of docs/compatibility.md#invitations: the original's one-time token, issued here
 * and redeemed (publicly) for an authorization code, and the guide's invitation link, an authorization code for the
 * configured static PKCE verifier. Only a manager or member of one of the patient's organizations, or a superuser,
 * invites, and sees and cancels invitations (docs/compatibility.md#missing-permission-checks). The codes are issued
 * by identity-service when the link is asked for or the token redeemed: nothing is stored here before its answer,
 * and when it cannot answer the request is a 503 with nothing changed. Asked to, either flow also queues the
 * invitation e-mail to the patient's address, with the link exactly as the answer gives it, in the transaction that
 * records the invitation (docs/architecture.md#e-mail); a patient without an address is a 400 with nothing queued.
 */
@ApplicationScoped
public class InvitationService {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9]{32}");
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String REQUIRED = "This field is required.";
    private static final String UNKNOWN_TOKEN = "Invitation not found or already used.";
    private static final String NO_ADDRESS = "The patient has no e-mail address to send the invitation to.";

    private final Db db;
    private final InvitationRepository invitations;
    private final IdentityClient identity;
    private final AdminConfig config;
    private final MailOutbox outbox;
    private final MailTemplates templates;

    public InvitationService(Db db, InvitationRepository invitations, IdentityClient identity, AdminConfig config,
            MailOutbox outbox, MailTemplates templates) {
        this.db = db;
        this.invitations = invitations;
        this.identity = identity;
        this.config = config;
        this.outbox = outbox;
        this.templates = templates;
    }

    /** base64url(SHA-256), as PKCE's S256 challenge and as tokens are stored. */
    static String sha256(String value) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String publicUrl() {
        return config.publicUrl().replaceAll("/$", "");
    }

    /** The exchange's host as an invitation link names it, so that an app serving several exchanges knows which. */
    private String host() {
        return URLEncoder.encode(URI.create(config.publicUrl()).getRawAuthority(), StandardCharsets.UTF_8);
    }

    /** The caller may invite the patient: manager or member of one of the patient's organizations, or superuser. */
    private Uni<Void> requireInviter(Caller caller, long patientId) {
        return invitations.findInviterCheck(patientId, caller.practitionerId(), caller.superuser())
                .invoke(check -> {
                    if (!check.patientExists()) {
                        throw Errors.notFound("Patient");
                    }
                    if (!check.mayInvite()) {
                        throw Errors.forbidden();
                    }
                }).replaceWithVoid();
    }

    /** The patient app of this number, which must have an invitation URL to put the invitation in. */
    private Uni<PatientApp> invitingApp(long clientPk) {
        return invitations.findPatientAppById(clientPk).invoke(app -> {
            if (app == null) {
                throw Errors.notFound("Client");
            }
            if (app.invitationUrl() == null || app.invitationUrl().isBlank()) {
                throw Errors.invalid("clientId", "This client has no invitation URL.");
            }
        });
    }

    /** Whom the invitation e-mail goes to when one is asked for, else null; a 400 when the patient has no address. */
    private Uni<Invitee> invitee(long patientId, boolean sendEmail, String field) {
        if (!sendEmail) {
            return Uni.createFrom().nullItem();
        }
        return invitations.findInviteeByPatient(patientId).invoke(invitee -> {
            if (invitee == null) {
                throw Errors.invalid(field, NO_ADDRESS);
            }
        });
    }

    /**
     * Queues the invitation e-mail in the caller's transaction; nothing when none was asked for, or where this
     * exchange sends no e-mail ({@code jhe.admin.mail.enabled=false}: the answer carries the link as ever).
     */
    private Uni<Void> queueMail(SqlClient tx, Invitee invitee, String link) {
        if (invitee == null || !config.mail().enabled()) {
            return Uni.createFrom().voidItem();
        }
        Map<String, Object> data = Map.of("name", invitee.givenName() == null ? "" : invitee.givenName(), "link", link);
        return outbox.insert(tx, templates.render("invitation", invitee.email(), data));
    }

    /**
     * Issues an invitation of the patient to the app: a token of 32 letters and digits, shown only in this answer
     * and stored as its hash; the patient's earlier issued invitations to the app are reissued (no longer
     * redeemable) in the same transaction.
     */
    public Uni<IssuedInvitationResponse> invite(Caller caller, InvitationRequest request) {
        Long patientId = request.patientId();
        Long clientPk = request.clientId();
        if (patientId == null || clientPk == null) {
            Map<String, List<String>> errors = new LinkedHashMap<>();
            if (patientId == null) {
                errors.put("patientId", List.of(REQUIRED));
            }
            if (clientPk == null) {
                errors.put("client_id", List.of(REQUIRED));
            }
            return Uni.createFrom().failure(new ValidationException("patientId and client_id are required.", errors));
        }
        return requireInviter(caller, patientId)
                .chain(() -> invitingApp(clientPk))
                .flatMap(app -> invitee(patientId, Boolean.TRUE.equals(request.sendEmail()), "sendEmail")
                        .flatMap(invitee -> {
                            StringBuilder token = new StringBuilder(32);
                            for (int i = 0; i < 32; i++) {
                                token.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
                            }
                            String link = app.invitationUrl().replace("CODE", host() + "_" + token);
                            return db.inTransaction(tx -> invitations.reissue(tx, patientId, clientPk)
                                    .chain(() -> invitations.insert(tx, patientId, clientPk,
                                            sha256(token.toString())))
                                    .call(() -> queueMail(tx, invitee, link)))
                                    .map(invitation -> IssuedInvitationResponse.of(invitation, token.toString(),
                                            link));
                        }));
    }

    /** The invitations of the patients the caller may invite (never others' token hashes), newest first. */
    public Uni<Page<InvitationResponse>> list(Caller caller) {
        return invitations.listByInviter(caller.practitionerId(), caller.superuser())
                .map(rows -> PageRequest.all(rows.stream().map(InvitationResponse::of).toList()));
    }

    private Uni<Invitation> visibleInvitation(Caller caller, long id) {
        return invitations.findById(id).flatMap(invitation -> {
            if (invitation == null) {
                return Uni.createFrom().failure(Errors.notFound("PatientInvitation"));
            }
            return requireInviter(caller, invitation.patientId()).replaceWith(invitation);
        });
    }

    public Uni<InvitationResponse> invitation(Caller caller, long id) {
        return visibleInvitation(caller, id).map(InvitationResponse::of);
    }

    /** Cancels an invitation: redeeming it is then refused with 403 "Invitation has been cancelled.". */
    public Uni<Void> cancel(Caller caller, long id) {
        return visibleInvitation(caller, id)
                .chain(() -> db.inTransaction(tx -> invitations.cancel(tx, id)))
                .replaceWithVoid();
    }

    /**
     * Exchanges the one-time token for an authorization code, which the app then exchanges at the token endpoint
     * with base64url(token) as its PKCE verifier. A second redemption within the redemption window succeeds again
     * (the app retrying); the invitation is marked redeemed only once identity-service has issued the code.
     */
    public Uni<RedemptionResponse> redeem(String token) {
        if (!TOKEN.matcher(token).matches()) {
            return Uni.createFrom().failure(new NotFoundException(UNKNOWN_TOKEN));
        }
        return invitations.findByTokenHash(sha256(token)).flatMap(invitation -> {
            if (invitation == null) {
                return Uni.createFrom().failure(new NotFoundException(UNKNOWN_TOKEN));
            }
            Uni<RedemptionResponse> refused = refusal(invitation);
            if (refused != null) {
                return refused;
            }
            String verifier = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(token.getBytes(StandardCharsets.US_ASCII));
            return issueCode(new NewAuthorizationCode(invitation.userId(), invitation.clientId(), sha256(verifier),
                    "S256", "openid email", publicUrl() + "/auth/callback",
                    config.invitationCodeLifetime().toSeconds()))
                    .call(code -> invitations.markRedeemed(invitation.id()))
                    .map(code -> new RedemptionResponse(new GrantResponse("authorization_code", code.redirectUri(),
                            code.clientId(), code.code()), publicUrl() + "/o/token/", code.expiresAt()));
        });
    }

    /**
     * Why the invitation cannot be redeemed, as a failed Uni, or null when it can: expired (an issued one past its
     * expiration is marked so first), cancelled, reissued, redeemed longer ago than the redemption window, or of a
     * patient without an account.
     */
    private <T> Uni<T> refusal(Redeemable invitation) {
        String status = invitation.status();
        OffsetDateTime updated = invitation.lastUpdated();
        OffsetDateTime now = OffsetDateTime.now();
        if ("issued".equals(status) && updated.plus(config.invitationExpiration()).isBefore(now)) {
            return invitations.expire(invitation.id())
                    .chain(() -> Uni.createFrom().failure(new GoneException("Invitation has expired.")));
        }
        if ("expired".equals(status)) {
            return Uni.createFrom().failure(new GoneException("Invitation has expired."));
        }
        if ("cancelled".equals(status)) {
            return Uni.createFrom().failure(Errors.forbidden("Invitation has been cancelled."));
        }
        if ("reissued".equals(status) || ("redeemed".equals(status)
                && updated.plus(config.invitationRedemptionWindow()).isBefore(now))) {
            return Uni.createFrom().failure(new ConflictException("Invitation has already been used."));
        }
        if (invitation.userId() == null) {
            return Uni.createFrom().failure(Errors.invalid("Patient has no associated user account."));
        }
        return null;
    }

    /**
     * The guide's flow: an authorization code for the patient, exchanged with the configured static PKCE verifier,
     * in the app's invitation URL. Without an app named, the first app of the patient's studies that has an
     * invitation URL.
     */
    public Uni<InvitationLinkResponse> invitationLink(Caller caller, long patientId, InvitationLinkRequest request) {
        Long requested = request.applicationId();
        return requireInviter(caller, patientId)
                .chain(() -> requested != null ? Uni.createFrom().item(requested)
                        : invitations.findFirstStudyAppByPatient(patientId))
                .invoke(pk -> {
                    if (pk == null) {
                        throw Errors.invalid("application_id", "application_id is required: the patient's studies "
                                + "name no client with an invitation URL.");
                    }
                })
                .flatMap(pk -> invitingApp(pk).flatMap(app -> invitations.findAccountByPatient(patientId)
                        .flatMap(userId -> {
                            if (userId == null) {
                                return Uni.createFrom().failure(
                                        Errors.invalid("Patient has no associated user account."));
                            }
                            return invitee(patientId, request.sendEmail(), "send_email")
                                    .flatMap(invitee -> issueCode(new NewAuthorizationCode(userId, pk,
                                            sha256(config.patientAuthorizationCodeVerifier()), "S256",
                                            "openid email", publicUrl() + "/auth/callback",
                                            config.patientAuthorizationCodeLifetime().toSeconds()))
                                            .flatMap(code -> {
                                                String link = app.invitationUrl().replace("CODE",
                                                        host() + "|" + code.code());
                                                InvitationLinkResponse answer = new InvitationLinkResponse(link);
                                                return invitee == null ? Uni.createFrom().item(answer)
                                                        : db.inTransaction(tx -> queueMail(tx, invitee, link))
                                                                .replaceWith(answer);
                                            }));
                        })));
    }

    /**
     * An authorization code from identity-service. Whatever its failure, the caller reads that the account service is
     * unavailable: identity-service refuses a code only when the two services disagree about the app or the account,
     * which the caller cannot mend either.
     */
    private Uni<IssuedCode> issueCode(NewAuthorizationCode code) {
        return identity.issueAuthorizationCode(code).onFailure().transform(e -> new UnavailableException(
                "The account service is unavailable; try again later."));
    }
}
