package org.jupyterhealth.exchange.fhir.audit;

import java.nio.charset.StandardCharsets;
import java.util.Date;

import org.hl7.fhir.r5.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r5.model.AuditEvent.AuditEventOutcomeComponent;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Extension;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.IntegerType;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.StringType;
import org.jupyterhealth.exchange.common.audit.AuditEvent;

/**
 * Renders a stored audit event as an R5 AuditEvent: {@code category} the kind of event (a RESTful operation, or a
 * user authentication), {@code code} our action, {@code action} its C/R/U/D/E, {@code outcome} the audit-event-outcome
 * code (0 success, 4 refused, 8 failed) with the HTTP status, the user (and the app it acted through) as agents with
 * the client's address, the emitting service as source, and the resources and patients as entities (a search with its
 * query and the number returned).
 */
final class AuditEventMapper {
    static final String ACTION_SYSTEM = "https://jupyterhealth.org/fhir/CodeSystem/audit-action";
    static final String USER_ID_SYSTEM = "https://jupyterhealth.org/fhir/identifier/jhe-user-id";
    static final String CLIENT_ID_SYSTEM = "https://jupyterhealth.org/fhir/identifier/oauth-client-id";
    static final String REQUEST_ID_EXTENSION = "https://jupyterhealth.org/fhir/StructureDefinition/request-id";
    private static final String EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    private static final String DICOM = "http://dicom.nema.org/resources/ontology/DCM";
    private static final String OUTCOME = "http://terminology.hl7.org/CodeSystem/audit-event-outcome";
    private static final String PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    private static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";

    private AuditEventMapper() {
    }

    static org.hl7.fhir.r5.model.AuditEvent toFhir(AuditEvent event) {
        org.hl7.fhir.r5.model.AuditEvent audit = new org.hl7.fhir.r5.model.AuditEvent();
        audit.setId(event.id().toString());
        boolean authentication = switch (event.action()) {
            case "login", "login-failed", "token", "revoke" -> true;
            default -> false;
        };
        audit.addCategory(authentication
                ? new CodeableConcept(new Coding(DICOM, "110114", "User Authentication"))
                : new CodeableConcept(new Coding(EVENT_TYPE, "rest", "RESTful Operation")));
        audit.setCode(new CodeableConcept(new Coding(ACTION_SYSTEM, event.action(), null)));
        audit.setAction(switch (event.action()) {
            case "create" -> AuditEventAction.C;
            case "read", "export" -> AuditEventAction.R;
            case "update", "consent" -> AuditEventAction.U;
            case "delete" -> AuditEventAction.D;
            default -> AuditEventAction.E;
        });
        audit.setRecorded(Date.from(event.recorded()));
        AuditEventOutcomeComponent outcome = new AuditEventOutcomeComponent();
        outcome.setCode(switch (event.outcome()) {
            case AuditEvent.SUCCESS -> new Coding(OUTCOME, "0", "Success");
            case AuditEvent.REFUSED -> new Coding(OUTCOME, "4", "Minor failure");
            default -> new Coding(OUTCOME, "8", "Serious failure");
        });
        outcome.addDetail(new CodeableConcept().setText("HTTP " + event.status() + " (" + event.outcome() + ")"));
        audit.setOutcome(outcome);
        if (event.userId() != null || event.role() != null) {
            AuditEventAgentComponent user = audit.addAgent();
            user.setType(new CodeableConcept(new Coding(PARTICIPATION, "AUT", "author (originator)")));
            if (event.role() != null) {
                user.addRole(new CodeableConcept().setText(event.role()));
            }
            Reference who = new Reference();
            if (event.userId() != null) {
                who.setIdentifier(new Identifier().setSystem(USER_ID_SYSTEM).setValue(event.userId().toString()));
            }
            user.setWho(who.setDisplay(event.role() == null ? "user" : event.role()));
            user.setRequestor(true);
            if (event.clientAddress() != null) {
                user.setNetwork(new StringType(event.clientAddress()));
            }
        }
        if (event.clientId() != null) {
            AuditEventAgentComponent app = audit.addAgent();
            app.setType(new CodeableConcept(new Coding(PARTICIPATION, "DEV", "device")));
            app.setWho(new Reference().setIdentifier(new Identifier().setSystem(CLIENT_ID_SYSTEM)
                    .setValue(event.clientId())).setDisplay("OAuth client"));
            app.setRequestor(false);
        }
        audit.getSource().setObserver(new Reference().setDisplay(event.service()));
        if (event.requestId() != null) {
            audit.addExtension(new Extension(REQUEST_ID_EXTENSION, new StringType(event.requestId())));
        }
        for (String id : event.resourceIds()) {
            AuditEventEntityComponent entity = audit.addEntity();
            // an upload that wrote several types names each resource with its type (a Bundle's references)
            entity.setWhat(new Reference(id.indexOf('/') > 0 ? id : event.resourceType() + "/" + id));
            entity.setRole(new CodeableConcept(new Coding(OBJECT_ROLE, "4", "Domain Resource")));
        }
        if ("search".equals(event.action())) {
            AuditEventEntityComponent query = audit.addEntity();
            query.setRole(new CodeableConcept(new Coding(OBJECT_ROLE, "24", "Query")));
            if (event.resourceType() != null) {
                query.setWhat(new Reference().setDisplay(event.resourceType()));
            }
            if (event.query() != null) {
                query.setQuery(event.query().getBytes(StandardCharsets.UTF_8));
            }
            if (event.count() != null) {
                query.addDetail().setType(new CodeableConcept().setText("count"))
                        .setValue(new IntegerType(event.count()));
            }
        }
        for (Long patient : event.patientIds()) {
            AuditEventEntityComponent entity = audit.addEntity();
            entity.setWhat(new Reference("Patient/" + patient));
            entity.setRole(new CodeableConcept(new Coding(OBJECT_ROLE, "1", "Patient")));
        }
        return audit;
    }
}
