package org.jupyterhealth.exchange.admin.event;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.admin.db.Db;
import org.jupyterhealth.exchange.common.events.AdminEvent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * Records domain events (docs/architecture.md#how-the-services-talk: {@code admin-events}) in the outbox, inside the
 * caller's transaction.
 */
@ApplicationScoped
public class Events {
    private final ObjectMapper json;

    public Events(ObjectMapper json) {
        this.json = json;
    }

    public Uni<Void> record(SqlClient tx, AdminEvent.Type type, Long patientId, Long studyId, Long organizationId,
            Long practitionerUserId) {
        return record(tx, new AdminEvent(type, patientId, studyId, organizationId, practitionerUserId,
                Instant.now()));
    }

    private Uni<Void> record(SqlClient tx, AdminEvent event) {
        Long patientId = event.patientId();
        Long organizationId = event.organizationId();
        Long studyId = event.studyId();
        Long keyId = patientId != null ? patientId : organizationId != null ? organizationId : studyId;
        String payload;
        try {
            payload = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        return Db.update(tx, "INSERT INTO admin_event_outbox (event_key, payload) VALUES ($1, $2)",
                keyId == null ? "" : keyId.toString(), payload).replaceWithVoid();
    }

    /**
     * Records one event per row of a query returning (patient id, study id, organization id, practitioner user id,
     * type): for changes that touch many patients at once (an organization or a study deleted).
     */
    public Uni<Void> recordBulk(SqlClient tx, String select, Object... params) {
        return Db.update(tx, "INSERT INTO admin_event_outbox (event_key, payload) "
                + "SELECT COALESCE(e.p, e.o, e.s)::text, json_build_object('type', e.t, 'patientId', e.p, "
                + "'studyId', e.s, 'organizationId', e.o, 'practitionerUserId', e.u, 'occurredAt', "
                + "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'))::text "
                + "FROM (" + select + ") AS e(p, s, o, u, t)", params).replaceWithVoid();
    }

    public Uni<Void> consentChanged(SqlClient tx, long patientId, Long studyId) {
        return record(tx, AdminEvent.Type.CONSENT_CHANGED, patientId, studyId, null, null);
    }

    public Uni<Void> enrolmentChanged(SqlClient tx, long patientId, long studyId) {
        return record(tx, AdminEvent.Type.ENROLMENT_CHANGED, patientId, studyId, null, null);
    }

    public Uni<Void> patientMembershipChanged(SqlClient tx, long patientId, long organizationId) {
        return record(tx, AdminEvent.Type.MEMBERSHIP_CHANGED, patientId, null, organizationId, null);
    }

    public Uni<Void> practitionerMembershipChanged(SqlClient tx, long organizationId, long practitionerUserId) {
        return record(tx, AdminEvent.Type.MEMBERSHIP_CHANGED, null, null, organizationId, practitionerUserId);
    }

    /** The patient's FHIR source is gone: the resources written through it go too. */
    public Uni<Void> fhirSourceDeleted(SqlClient tx, long patientId, long fhirSourceId) {
        return record(tx, new AdminEvent(AdminEvent.Type.FHIR_SOURCE_DELETED, patientId, null, null, null,
                Instant.now(), fhirSourceId));
    }

    public Uni<Void> patientDeleted(SqlClient tx, long patientId) {
        return record(tx, AdminEvent.Type.PATIENT_DELETED, patientId, null, null, null);
    }
}
