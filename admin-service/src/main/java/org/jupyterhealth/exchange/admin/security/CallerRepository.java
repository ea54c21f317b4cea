package org.jupyterhealth.exchange.admin.security;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.db.Db;

import io.smallrye.mutiny.Uni;

/** The SQL behind a caller: its practitioner and patient records, and its direct memberships and roles. */
@ApplicationScoped
public class CallerRepository {
    private final Db db;

    public CallerRepository(Db db) {
        this.db = db;
    }

    /** The practitioner and patient records of an account (either id null when it has none). */
    public record Records(Long practitionerId, Long patientId) {
    }

    /** Both records of the account in one query. */
    public Uni<Records> findRecords(long userId) {
        return db.one("SELECT (SELECT id FROM practitioner WHERE jhe_user_id = $1) AS practitioner_id, "
                + "(SELECT id FROM patient WHERE jhe_user_id = $1) AS patient_id",
                row -> new Records(row.getLong("practitioner_id"), row.getLong("patient_id")), userId);
    }

    /** The account's practitioner record, created when it has none (a race with another request finds the same). */
    public Uni<Long> insertPractitionerIfAbsent(long userId, String nameFamily, String nameGiven) {
        return db.one("INSERT INTO practitioner (jhe_user_id, name_family, name_given) "
                + "VALUES ($1, NULLIF($2, ''), NULLIF($3, '')) ON CONFLICT (jhe_user_id) "
                + "DO UPDATE SET jhe_user_id = EXCLUDED.jhe_user_id RETURNING id",
                row -> row.getLong("id"), userId, nameFamily, nameGiven);
    }

    /** The practitioner's direct role in the organization, or null. */
    public Uni<String> findRole(long practitionerId, long organizationId) {
        return db.one("SELECT role FROM practitioner_organization WHERE practitioner_id = $1 AND organization_id = $2",
                row -> row.getString("role"), practitionerId, organizationId);
    }

    /** Whether the practitioner record or the patient record (either may be null) is in the organization. */
    public Uni<Boolean> isMember(Long practitionerId, Long patientId, long organizationId) {
        return db.one("SELECT EXISTS (SELECT 1 FROM practitioner_organization WHERE practitioner_id = $1 "
                + "AND organization_id = $3) OR EXISTS (SELECT 1 FROM patient_organization WHERE patient_id = $2 "
                + "AND organization_id = $3)", row -> row.getBoolean(0), practitionerId, patientId, organizationId);
    }

    /** Whether the practitioner and the patient are direct members of one same organization. */
    public Uni<Boolean> sharesOrganization(long practitionerId, long patientId) {
        return db.one("SELECT EXISTS (SELECT 1 FROM patient_organization pa JOIN practitioner_organization pr "
                + "ON pr.organization_id = pa.organization_id WHERE pa.patient_id = $1 AND pr.practitioner_id = $2)",
                row -> row.getBoolean(0), patientId, practitionerId);
    }
}
