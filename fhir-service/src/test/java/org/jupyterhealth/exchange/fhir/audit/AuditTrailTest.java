package org.jupyterhealth.exchange.fhir.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
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
}
