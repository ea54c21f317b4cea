package org.jupyterhealth.exchange.ingest.upload;

import java.util.List;

import org.jupyterhealth.exchange.common.upload.EntryOutcome;
import org.jupyterhealth.exchange.ingest.omh.EffectiveTime;

/**
 * What ingest-service learned about one uploaded entry by itself, before asking admin-service and the database: each
 * field holds the result of one step of the original's checks of a create, so that {@link UploadDecider} can report the
 * first failing step in the documented order.
 *
 * @param index          position in the Bundle
 * @param rejected       a failure of the steps decided locally before the access decision (request method, resource
 *                       type, R5 shape, subject), or null
 * @param patientId      the subject's patient id (null when {@code rejected})
 * @param dataSourceId   the device's data-source id, or null when the device reference is missing or malformed
 * @param deviceProblem  the failure of the device reference's form (step 6, local part), or null
 * @param identifiers    the entry's business identifiers (step 7)
 * @param codingProblem  the failure of "exactly one coding" (step 8), or null
 * @param system         the system of the first coding (asked of admin-service), never null
 * @param code           the code of the first coding, never null
 * @param payloadProblem the failure of the base64 JSON or Open mHealth schema steps (11, 12), or null
 * @param status         the Observation's status code
 * @param omhData        the decoded Open mHealth data point (JSON text) when the payload is valid
 * @param effective      its clinical time
 */
public record CheckedEntry(int index, EntryOutcome rejected, Long patientId, Long dataSourceId,
        EntryOutcome deviceProblem, List<Identifier> identifiers, EntryOutcome codingProblem, String system,
        String code, EntryOutcome payloadProblem, String status, String omhData, EffectiveTime effective) {

    /** An Observation.identifier; identifiers are globally unique by (system, value). */
    public record Identifier(String system, String value) {
    }

    static CheckedEntry rejected(int index, EntryOutcome outcome) {
        return new CheckedEntry(index, outcome, null, null, null, List.of(), null, "", "", null, null, null,
                EffectiveTime.NONE);
    }

    /** Whether the access decision is needed (the entry passed the purely local steps before it). */
    public boolean needsDecision() {
        return rejected == null;
    }
}
