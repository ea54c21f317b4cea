package org.jupyterhealth.exchange.admin.invitation;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jupyterhealth.exchange.admin.account.IdentityClient;
import org.jupyterhealth.exchange.admin.config.AdminConfig;
import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.admin.security.Callers;
import org.jupyterhealth.exchange.admin.web.AdminException.UnavailableException;
import org.jupyterhealth.exchange.admin.web.Errors;
import org.jupyterhealth.exchange.admin.web.QueryParams;

import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;

/**
 * The guide's invitation flow: {@code GET /api/v1/patients/{id}/invitation_link} (docs/compatibility.md#invitations).
 */
@Path("/api/v1/patients/{id}/invitation_link")
@Authenticated
@Tag(name = "invitations")
@Produces(MediaType.APPLICATION_JSON)
public class InvitationLinkResource {
    private final Db db;
    private final Callers callers;
    private final IdentityClient identity;
    private final AdminConfig config;
    private final InvitationResource invitations;

    public InvitationLinkResource(Db db, Callers callers, IdentityClient identity, AdminConfig config,
            InvitationResource invitations) {
        this.db = db;
        this.callers = callers;
        this.identity = identity;
        this.config = config;
        this.invitations = invitations;
    }

    /** The guide's flow: a code for the patient, exchanged with the configured static PKCE verifier. */
    @GET
        @Authenticated
    public Uni<Map<String, Object>> invitationLink(@PathParam("id") long patientId, @Context UriInfo uri) {
        QueryParams q = QueryParams.of(uri);
        Long requested = q.id("application_id") != null ? q.id("application_id") : q.id("client_id");
        return callers.current().call(caller -> invitations.requireInviter(caller, patientId))
                .chain(() -> requested != null ? Uni.createFrom().item(requested)
                        : db.one("SELECT c.id FROM study_patient sp JOIN study_client sc ON sc.study_id = sp.study_id "
                                + "JOIN oauth_client c ON c.id = sc.client_id WHERE sp.patient_id = $1 "
                                + "AND c.invitation_url IS NOT NULL ORDER BY c.id LIMIT 1", r -> r.getLong(0), patientId))
                .invoke(pk -> {
                    if (pk == null) {
                        throw Errors.invalid("application_id", "application_id is required: the patient's studies "
                                + "name no client with an invitation URL.");
                    }
                })
                .flatMap(pk -> invitations.client(pk).flatMap(client -> db.one("SELECT jhe_user_id FROM patient WHERE id = $1",
                        r -> r.getLong(0), patientId)
                        .flatMap(userId -> identity.issueAuthorizationCode(new IdentityClient.NewAuthorizationCode(
                                userId, pk, InvitationResource.sha256(config.patientAuthorizationCodeVerifier()), "S256", "openid email",
                                config.publicUrl().replaceAll("/$", "") + "/auth/callback",
                                config.patientAuthorizationCodeLifetime().toSeconds()))
                                .onFailure().transform(e -> new UnavailableException(
                                        "The account service is unavailable; try again later.")))
                        .map(code -> Map.<String, Object>of("invitationLink", ((String) client.get("invitationUrl"))
                                .replace("CODE", URLEncoder.encode(invitations.host(), StandardCharsets.UTF_8) + "|"
                                        + code.code())))));
    }
}
