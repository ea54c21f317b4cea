package org.jupyterhealth.exchange.fhir.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.audit.AuditAction;
import org.jupyterhealth.exchange.common.audit.AuditEvent;
import org.jupyterhealth.exchange.common.upload.EntryOutcome;
import org.jupyterhealth.exchange.common.upload.UploadEntry;
import org.jupyterhealth.exchange.common.upload.UploadResult;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.util.RawValue;

/** An upload's event names the patients its entries are about, whether an entry was kept as raw text or as a tree. */
class AuditTrailTest {

    static UploadEntry raw(String json) {
        return new UploadEntry(new POJONode(new RawValue(json)), "POST", "Observation");
    }

    @Test
    void anUploadNamesThePatientsOfItsEntriesAndTheObservationsItStored() throws Exception {
        AuditTrail trail = new AuditTrail();
        UploadResult result = new UploadResult(UUID.randomUUID(), 10006, "batch", UploadResult.PROCESSED,
                Instant.now(), List.of(new EntryOutcome(201, 61L, null, null), new EntryOutcome(201, 62L, null, null),
                        new EntryOutcome(422, null, "invalid", "no")));
        trail.uploaded(result, List.of(
                raw("{\"resourceType\":\"Observation\",\"code\":{\"coding\":[{\"code\":\"x\"}]},"
                        + "\"subject\":{\"display\":\"p\",\"reference\":\"Patient/40001\"},\"valueAttachment\":{}}"),
                raw("{\"subject\":{\"reference\":\"Patient/40002\"}}"),
                new UploadEntry(new ObjectMapper().readTree("{\"subject\":{\"reference\":\"Patient/40001\"}}"),
                        "POST", "Observation"),
                raw("{\"subject\":{\"reference\":\"Group/1\"}}"), raw("not json")));

        assertThat(trail.patientIds()).containsExactly(40001L, 40002L);
        assertThat(trail.ids()).containsExactly("61", "62");
        assertThat(trail.count()).isEqualTo(2);
    }

    @Test
    void anUploadOfSeveralTypesNamesEachResourceWithItsType() {
        AuditTrail trail = new AuditTrail();
        String answers = "4f0c1c8e-5a44-4c0e-9d0e-0a1b2c3d4e5f";
        UploadResult result = new UploadResult(UUID.randomUUID(), 10006, "batch", UploadResult.PROCESSED,
                Instant.now(), List.of(EntryOutcome.created(61L),
                        EntryOutcome.stored(201, "QuestionnaireResponse", answers, 1),
                        EntryOutcome.failed(403, "forbidden", "no consent")));
        trail.uploaded(result, List.of(raw("{\"subject\":{\"reference\":\"Patient/40001\"}}")));

        assertThat(trail.resourceType()).isEqualTo("Bundle");
        assertThat(trail.ids()).containsExactly("Observation/61", "QuestionnaireResponse/" + answers);
        assertThat(trail.count()).isEqualTo(2);
        assertThat(AuditEventMapper.toFhir(AuditEvent.of(AuditAction.CREATE)
                .resource(trail.resourceType(), trail.ids()).patients(trail.patientIds()).service("fhir-service")
                .status(200).build()).getEntity().stream().map(e -> e.getWhat().getReference()).toList())
                .contains("Observation/61", "QuestionnaireResponse/" + answers, "Patient/40001");
    }

    @Test
    void readingAnUploadsOutcomeIsAReadOfWhatItStored() {
        AuditTrail trail = new AuditTrail();
        UploadResult result = new UploadResult(UUID.randomUUID(), 10006, "batch", UploadResult.PROCESSED,
                Instant.now(), List.of(EntryOutcome.created(61L), EntryOutcome.created(62L)));
        trail.uploadRead(result, List.of(40001L));

        assertThat(trail.action()).isEqualTo(AuditAction.READ);
        assertThat(trail.resourceType()).isEqualTo("Observation");
        assertThat(trail.ids()).containsExactly("61", "62");
        assertThat(trail.patientIds()).containsExactly(40001L);
    }

    @Test
    void aStoredResourceNamesItsPatientBySubjectOrByPatient() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertThat(AuditTrail.patientOf(json.readTree("{\"subject\":{\"reference\":\"Patient/40001\"}}")))
                .isEqualTo(40001L);
        assertThat(AuditTrail.patientOf(json.readTree("{\"patient\":{\"reference\":\"Patient/40002\"}}")))
                .isEqualTo(40002L);
        assertThat(AuditTrail.patientOf(json.readTree("{\"subject\":{\"reference\":\"Group/1\"}}"))).isNull();
    }

    @Test
    void anUploadAcceptedForLaterNamesItsPatientsAndItsTypes() {
        AuditTrail trail = new AuditTrail();
        trail.accepted(List.of(raw("{\"subject\":{\"reference\":\"Patient/40002\"}}"),
                new UploadEntry(new POJONode(new RawValue("{\"subject\":{\"reference\":\"Patient/40001\"}}")),
                        "PUT", "QuestionnaireResponse/4f0c1c8e-5a44-4c0e-9d0e-0a1b2c3d4e5f")));

        assertThat(trail.action()).isEqualTo(AuditAction.CREATE);
        assertThat(trail.resourceType()).isEqualTo("Bundle");
        assertThat(trail.ids()).isEmpty();
        assertThat(trail.patientIds()).containsExactly(40002L, 40001L);

        trail.accepted(List.of(raw("{\"subject\":{\"reference\":\"Patient/40001\"}}")));
        assertThat(trail.resourceType()).isEqualTo("Observation");
    }
}
