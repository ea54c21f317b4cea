package org.jupyterhealth.exchange.admin.invitation;

import java.time.OffsetDateTime;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.db.Db;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * The SQL of patient invitations ({@code patient_invitation}), with the look-ups an invitation needs: who may invite
 * a patient, the patient app it is for, the patient's account.
 */
@ApplicationScoped
public class InvitationRepository {
    private final Db db;

    public InvitationRepository(Db db) {
        this.db = db;
    }

    /** A stored invitation; its token is never stored, only its hash. */
    public record Invitation(long id, long patientId, long clientId, String tokenHash, String status,
            OffsetDateTime lastUpdated) {
    }

    /** What redeeming an invitation decides on: its state, its app and the invited patient's account (or null). */
    public record Redeemable(long id, String status, OffsetDateTime lastUpdated, long clientId, Long userId) {
    }

    /** A patient app an invitation is for; its invitation URL may be missing. */
    public record PatientApp(long id, String clientId, String invitationUrl) {
    }

    /** Whether the patient exists, and whether the caller may invite it. */
    public record InviterCheck(boolean patientExists, boolean mayInvite) {
    }

    /**
     * Who invites a patient besides a superuser (docs/compatibility.md#invitations), as a SQL condition: a manager or
     * member of one of the patient's organizations. The operands are SQL (a parameter or a column), never input.
     */
    private static String mayInvite(String patient, String practitioner) {
        return "EXISTS (SELECT 1 FROM patient_organization pa JOIN practitioner_organization m "
                + "ON m.organization_id = pa.organization_id WHERE pa.patient_id = " + patient
                + " AND m.practitioner_id = " + practitioner + " AND m.role IN ('manager', 'member'))";
    }

    private static Invitation invitation(Row r) {
        return new Invitation(r.getLong("id"), r.getLong("patient_id"), r.getLong("client_id"),
                r.getString("token_hash"), r.getString("status"), r.getOffsetDateTime("last_updated"));
    }

    /** Whether the patient exists, and whether the caller (a superuser, or this practitioner or none) may invite it. */
    public Uni<InviterCheck> findInviterCheck(long patientId, Long practitionerId, boolean superuser) {
        return db.one("SELECT EXISTS (SELECT 1 FROM patient WHERE id = $1), $3::boolean OR "
                + mayInvite("$1", "$2"), r -> new InviterCheck(r.getBoolean(0), r.getBoolean(1)), patientId,
                practitionerId, superuser);
    }

    /** The patient app of this number, or null. */
    public Uni<PatientApp> findPatientAppById(long clientPk) {
        return db.one("SELECT id, client_id, invitation_url FROM oauth_client WHERE id = $1 AND kind = 'patient'",
                r -> new PatientApp(r.getLong(0), r.getString(1), r.getString(2)), clientPk);
    }

    /** The first app (by number) with an invitation URL of a study the patient is enrolled in, or null. */
    public Uni<Long> findFirstStudyAppByPatient(long patientId) {
        return db.one("SELECT c.id FROM study_patient sp JOIN study_client sc ON sc.study_id = sp.study_id "
                + "JOIN oauth_client c ON c.id = sc.client_id WHERE sp.patient_id = $1 "
                + "AND c.invitation_url IS NOT NULL ORDER BY c.id LIMIT 1", r -> r.getLong(0), patientId);
    }

    /** Whom an invitation e-mail goes to: the address of the patient's account, and its given name. */
    public record Invitee(String email, String givenName) {
    }

    /** The patient's address and given name, or null (no such patient, or one without an account). */
    public Uni<Invitee> findInviteeByPatient(long patientId) {
        return db.one("SELECT a.email, p.name_given FROM patient p JOIN account a ON a.id = p.jhe_user_id "
                + "WHERE p.id = $1", r -> new Invitee(r.getString(0), r.getString(1)), patientId);
    }

    /** The account of the patient, or null (no such patient, or one without an account). */
    public Uni<Long> findAccountByPatient(long patientId) {
        return db.one("SELECT jhe_user_id FROM patient WHERE id = $1", r -> r.getLong(0), patientId);
    }

    /** Every invitation of the patients the caller (a superuser, or this practitioner) may invite, newest first. */
    public Uni<List<Invitation>> listByInviter(Long practitionerId, boolean superuser) {
        return db.list("SELECT i.* FROM patient_invitation i WHERE $2::boolean OR "
                + mayInvite("i.patient_id", "$1") + " ORDER BY i.last_updated DESC", InvitationRepository::invitation,
                practitionerId, superuser);
    }

    /** The invitation of this number, or null. */
    public Uni<Invitation> findById(long id) {
        return db.one("SELECT i.* FROM patient_invitation i WHERE i.id = $1", InvitationRepository::invitation, id);
    }

    /** The invitation whose token has this hash, with the invited patient's account, or null. */
    public Uni<Redeemable> findByTokenHash(String tokenHash) {
        return db.one("SELECT i.id, i.status, i.last_updated, i.client_id, p.jhe_user_id FROM patient_invitation i "
                + "JOIN patient p ON p.id = i.patient_id WHERE i.token_hash = $1",
                r -> new Redeemable(r.getLong("id"), r.getString("status"), r.getOffsetDateTime("last_updated"),
                        r.getLong("client_id"), r.getLong("jhe_user_id")), tokenHash);
    }

    /** Marks the patient's issued invitations to the app as reissued: a new one replaces them. */
    public Uni<Integer> reissue(SqlClient tx, long patientId, long clientPk) {
        return Db.update(tx, "UPDATE patient_invitation SET status = 'reissued', last_updated = now() "
                + "WHERE patient_id = $1 AND client_id = $2 AND status = 'issued'", patientId, clientPk);
    }

    /** Stores a new issued invitation by its token's hash. */
    public Uni<Invitation> insert(SqlClient tx, long patientId, long clientPk, String tokenHash) {
        return Db.one(tx, "INSERT INTO patient_invitation (patient_id, client_id, token_hash, status) "
                + "VALUES ($1, $2, $3, 'issued') RETURNING *", InvitationRepository::invitation, patientId, clientPk,
                tokenHash);
    }

    public Uni<Integer> cancel(SqlClient tx, long id) {
        return Db.update(tx, "UPDATE patient_invitation SET status = 'cancelled', last_updated = now() WHERE id = $1",
                id);
    }

    public Uni<Integer> expire(long id) {
        return Db.update(db.client(), "UPDATE patient_invitation SET status = 'expired' WHERE id = $1", id);
    }

    /**
     * Marks the invitation redeemed; a redemption again within the window keeps the time of the first, so that the
     * window is not stretched by retries.
     */
    public Uni<Integer> markRedeemed(long id) {
        return Db.update(db.client(), "UPDATE patient_invitation SET status = 'redeemed', "
                + "last_updated = CASE WHEN status = 'redeemed' THEN last_updated ELSE now() END WHERE id = $1", id);
    }
}
