package org.jupyterhealth.exchange.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.HEART_RATE;
import static org.jupyterhealth.exchange.ingest.upload.Fixtures.PETER;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.common.upload.UploadEntry;
import org.jupyterhealth.exchange.ingest.omh.OmhSchemas;

import com.fasterxml.jackson.databind.node.ObjectNode;

import ca.uhn.fhir.context.FhirContext;

/** An entry is checked without being changed: an upload processed again is decided the same way. */
class EntryCheckerTest {
    static final EntryChecker CHECKER = new EntryChecker(FhirContext.forR5Cached(), new OmhSchemas());

    @Test
    void checkingAnEntryTwiceGivesTheSameVerdictAndLeavesTheResourceAsItWas() {
        ObjectNode resource = Fixtures.observation(PETER, HEART_RATE);
        ObjectNode sent = resource.deepCopy();
        UploadEntry entry = new UploadEntry(resource, "POST", "Observation");

        CheckedEntry first = CHECKER.check(0, entry);
        CheckedEntry again = CHECKER.check(0, entry);

        assertThat(first.rejected()).isNull();
        assertThat(first.payloadProblem()).isNull();
        assertThat(again).isEqualTo(first);
        assertThat(resource).isEqualTo(sent);
    }
}
