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

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jupyterhealth.exchange.admin.account.IdentityClient;
import org.jupyterhealth.exchange.admin.config.AdminConfig;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.security.Caller;
import org.jupyterhealth.exchange.admin.security.Callers;
import org.jupyterhealth.exchange.admin.web.AdminException.ConflictException;
import org.jupyterhealth.exchange.admin.web.AdminException.GoneException;
import org.jupyterhealth.exchange.admin.web.AdminException.NotFoundException;
import org.jupyterhealth.exchange.admin.web.AdminException.UnavailableException;
import org.jupyterhealth.exchange.admin.web.AdminException.ValidationException;
import org.jupyterhealth.exchange.admin.web.Body;
import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.admin.web.QueryParams;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jupyterhealth.exchange.admin.openapi.RequestBodies;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * Patient invitations, both flows of docs/compatibility.md#invitations: the original's {@code POST /api/v1/invitation}
 * with the public redeem {@code POST /api/v1/invitation/{token}}, and the guide's {@code GET
 * /api/v1/patients/{id}/invitation_link} (static PKCE verifier). Only a manager or member of one of the patient's
 * organizations invites (docs/compatibility.md#missing-permission-checks).
 */
@Path("/api/v1/invitation")
@Tag(name = "invitations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InvitationResource {
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9]{32}");
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Db db;
    private final Callers callers;
    private final IdentityClient identity;
    private final AdminConfig config;

    public InvitationResource(Db db, Callers callers, IdentityClient identity, AdminConfig config) {
        this.db = db;
        this.callers = callers;
        this.identity = identity;
        this.config = config;
    }

    static String sha256(String value) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String host() {
        return URI.create(config.publicUrl()).getRawAuthority();
    }

    /** The caller may invite the patient: manager or member of one of the patient's organizations, or superuser. */
    Uni<Void> requireInviter(Caller caller, long patientId) {
        return db.one("SELECT EXISTS (SELECT 1 FROM patient WHERE id = $1), $3::boolean OR EXISTS (SELECT 1 FROM "
                + "patient_organization pa JOIN practitioner_organization m ON m.organization_id = pa.organization_id "
                + "WHERE pa.patient_id = $1 AND m.practitioner_id = $2 AND m.role IN ('manager', 'member'))",
                r -> new boolean[] { r.getBoolean(0), r.getBoolean(1) }, patientId, caller.practitionerId(),
                caller.superuser())
                .invoke(r -> {
                    if (!r[0]) {
                        throw Errors.notFound("Patient");
                    }
                    if (!r[1]) {
                        throw Errors.forbidden();
                    }
                }).replaceWithVoid();
    }

    Uni<Map<String, Object>> client(Long clientPk) {
        return db.one("SELECT id, client_id, invitation_url FROM oauth_client WHERE id = $1 AND kind = 'patient'",
                r -> {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("id", r.getLong(0));
                    c.put("clientId", r.getString(1));
                    c.put("invitationUrl", r.getString(2));
                    return c;
                }, clientPk).invoke(c -> {
                    if (c == null) {
                        throw Errors.notFound("Client");
                    }
                    if (c.get("invitationUrl") == null || ((String) c.get("invitationUrl")).isBlank()) {
                        throw Errors.invalid("clientId", "This client has no invitation URL.");
                    }
                });
    }

    @POST
    @Authenticated
    public Uni<Response> invite(@RequestBody(content = @Content(schema = @Schema(implementation = RequestBodies.Invitation.class))) JsonNode json) {
        Body body = Body.of(json);
        Long patientId = body.id("patientId");
        Long clientPk = body.id("clientId");
        // judged as the original's flag (a JSON boolean); this version sends no e-mail: the answer carries the link
        body.bool("sendEmail");
        if (patientId == null || clientPk == null) {
            Map<String, List<String>> errors = new LinkedHashMap<>();
            if (patientId == null) {
                errors.put("patientId", List.of("This field is required."));
            }
            if (clientPk == null) {
                errors.put("client_id", List.of("This field is required."));
            }
            throw new ValidationException("patientId and client_id are required.", errors);
        }
        return callers.current().call(caller -> requireInviter(caller, patientId))
                .chain(() -> client(clientPk))
                .flatMap(client -> {
                    StringBuilder token = new StringBuilder(32);
                    for (int i = 0; i < 32; i++) {
                        token.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
                    }
                    String hash = sha256(token.toString());
                    String link = ((String) client.get("invitationUrl")).replace("CODE",
                            URLEncoder.encode(host(), StandardCharsets.UTF_8) + "_" + token);
                    return db.inTransaction(tx -> Db.update(tx, "UPDATE patient_invitation SET status = 'reissued', "
                            + "last_updated = now() WHERE patient_id = $1 AND client_id = $2 AND status = 'issued'",
                            patientId, clientPk)
                            .chain(() -> Db.one(tx, "INSERT INTO patient_invitation (patient_id, client_id, token_hash, "
                                    + "status) VALUES ($1, $2, $3, 'issued') RETURNING id, last_updated", r -> r,
                                    patientId, clientPk, hash)))
                            .map(r -> {
                                Map<String, Object> out = new LinkedHashMap<>();
                                out.put("id", r.getLong(0));
                                out.put("patientId", patientId);
                                out.put("client_id", clientPk);
                                out.put("tokenHash", hash);
                                out.put("token", token.toString());
                                out.put("status", "issued");
                                out.put("lastUpdated", r.getOffsetDateTime(1));
                                out.put("invitationLink", link);
                                return Response.status(201).entity(out).build();
                            });
                });
    }

    /** Invitations of the patients the caller may invite (never others' token hashes). */
    @GET
    @Authenticated
    public Uni<org.jupyterhealth.exchange.admin.web.Page<Object>> list() {
        return callers.current().flatMap(caller -> db.list("SELECT i.* FROM patient_invitation i WHERE $2::boolean "
                + "OR EXISTS (SELECT 1 FROM patient_organization pa JOIN practitioner_organization m "
                + "ON m.organization_id = pa.organization_id WHERE pa.patient_id = i.patient_id "
                + "AND m.practitioner_id = $1 AND m.role IN ('manager', 'member')) ORDER BY i.last_updated DESC",
                r -> {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("id", r.getLong("id"));
                    out.put("patientId", r.getLong("patient_id"));
                    out.put("client_id", r.getLong("client_id"));
                    out.put("tokenHash", r.getString("token_hash"));
                    out.put("token", null);
                    out.put("status", r.getString("status"));
                    out.put("lastUpdated", r.getOffsetDateTime("last_updated"));
                    return (Object) out;
                }, caller.practitionerId(), caller.superuser()))
                .map(org.jupyterhealth.exchange.admin.web.PageRequest::all);
    }

    private Uni<Map<String, Object>> visibleInvitation(Caller caller, long id) {
        return db.one("SELECT i.* FROM patient_invitation i WHERE i.id = $1", r -> r, id).flatMap(row -> {
            if (row == null) {
                return Uni.createFrom().failure(Errors.notFound("PatientInvitation"));
            }
            return requireInviter(caller, row.getLong("patient_id")).map(v -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("id", row.getLong("id"));
                out.put("patientId", row.getLong("patient_id"));
                out.put("client_id", row.getLong("client_id"));
                out.put("tokenHash", row.getString("token_hash"));
                out.put("token", null);
                out.put("status", row.getString("status"));
                out.put("lastUpdated", row.getOffsetDateTime("last_updated"));
                return out;
            });
        });
    }

    @GET
    @Path("/{id: [0-9]+}")
    @Authenticated
    public Uni<Map<String, Object>> get(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> visibleInvitation(caller, id));
    }

    /** Cancels an invitation: redeeming it is then refused with 403 "Invitation has been cancelled.". */
    @jakarta.ws.rs.DELETE
    @Path("/{id: [0-9]+}")
    @Authenticated
    public Uni<Response> cancel(@PathParam("id") long id) {
        return callers.current().flatMap(caller -> visibleInvitation(caller, id))
                .chain(() -> db.inTransaction(tx -> Db.update(tx, "UPDATE patient_invitation SET status = 'cancelled', "
                        + "last_updated = now() WHERE id = $1", id)))
                .map(n -> Response.noContent().build());
    }

    /** Public: exchanges the one-time token for an authorization code (the app then calls /o/token). */
    @POST
    @Path("/{token}")
    @PermitAll
    public Uni<Map<String, Object>> redeem(@PathParam("token") String token) {
        if (!TOKEN.matcher(token).matches()) {
            return Uni.createFrom().failure(new NotFoundException("Invitation not found or already used."));
        }
        String hash = sha256(token);
        return db.one("SELECT i.id, i.status, i.last_updated, i.client_id, p.jhe_user_id FROM patient_invitation i "
                + "JOIN patient p ON p.id = i.patient_id WHERE i.token_hash = $1", r -> r, hash)
                .flatMap(row -> {
                    if (row == null) {
                        return Uni.createFrom().failure(new NotFoundException("Invitation not found or already used."));
                    }
                    String status = row.getString("status");
                    OffsetDateTime updated = row.getOffsetDateTime("last_updated");
                    OffsetDateTime now = OffsetDateTime.now();
                    if ("issued".equals(status) && updated.plus(config.invitationExpiration()).isBefore(now)) {
                        return db.query("UPDATE patient_invitation SET status = 'expired' WHERE id = $1",
                                row.getLong("id")).chain(() -> Uni.createFrom().failure(
                                        new GoneException("Invitation has expired.")));
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
                    Long userId = row.getLong("jhe_user_id");
                    if (userId == null) {
                        return Uni.createFrom().failure(Errors.invalid("Patient has no associated user account."));
                    }
                    String verifier = Base64.getUrlEncoder().withoutPadding()
                            .encodeToString(token.getBytes(StandardCharsets.US_ASCII));
                    String redirect = config.publicUrl().replaceAll("/$", "") + "/auth/callback";
                    return identity.issueAuthorizationCode(new IdentityClient.NewAuthorizationCode(userId,
                            row.getLong("client_id"), sha256(verifier), "S256", "openid email", redirect,
                            config.invitationCodeLifetime().toSeconds()))
                            .onFailure().transform(e -> new UnavailableException(
                                    "The account service is unavailable; try again later."))
                            .call(code -> db.query("UPDATE patient_invitation SET status = 'redeemed', "
                                    + "last_updated = CASE WHEN status = 'redeemed' THEN last_updated ELSE now() END "
                                    + "WHERE id = $1", row.getLong("id")))
                            .map(code -> {
                                Map<String, Object> grant = new LinkedHashMap<>();
                                grant.put("grant_type", "authorization_code");
                                grant.put("redirect_uri", code.redirectUri());
                                grant.put("client_id", code.clientId());
                                grant.put("code", code.code());
                                Map<String, Object> out = new LinkedHashMap<>();
                                out.put("grant", grant);
                                out.put("token_endpoint", config.publicUrl().replaceAll("/$", "") + "/o/token/");
                                out.put("expires", code.expiresAt());
                                return out;
                            });
                });
    }
}
