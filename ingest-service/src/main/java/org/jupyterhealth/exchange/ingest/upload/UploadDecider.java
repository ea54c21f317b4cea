package org.jupyterhealth.exchange.ingest.upload;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jupyterhealth.exchange.common.upload.EntryOutcome;
import org.jupyterhealth.exchange.common.web.DetailErrors;
import org.jupyterhealth.exchange.ingest.upload.AccessDecisionClient.Decision;
import org.jupyterhealth.exchange.ingest.upload.CheckedEntry.Identifier;

/**
 * Puts together, for every entry, what the entry itself, admin-service and the observation store said, and reports the
 * first failing check in the order of docs/compatibility.md#upload-checks: resource and subject (1–2), the patient and
 * the uploader's right (3–5), the device (6), identifier uniqueness (7), exactly one coding (8), a known code and the
 * patient's consent (9–10), the base64 JSON payload (11) and its Open mHealth schemas (12). An identifier already
 * stored, or claimed by an earlier entry of the same upload, is a 409.
 */
final class UploadDecider {

    /** The decision for one entry: a failure, or accepted for storage with the code's id. */
    record Verdict(CheckedEntry entry, EntryOutcome failure, String reason, Long codeId) {
        boolean accepted() {
            return failure == null;
        }
    }

    private enum Step { ACCESS, DEVICE, CODE }

    private UploadDecider() {
    }

    /**
     * @param entries   the locally checked entries, in order
     * @param decisions admin-service's decision per entry (null for entries that were not asked about)
     * @param existing  identifiers of the upload that the store already holds
     */
    static List<Verdict> decide(List<CheckedEntry> entries, List<Decision> decisions, Set<Identifier> existing) {
        Set<Identifier> claimed = new HashSet<>();
        List<Verdict> verdicts = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            CheckedEntry entry = entries.get(i);
            Decision decision = decisions.get(i);
            String[] reason = new String[1];
            EntryOutcome failure = firstFailure(entry, decision, existing, claimed, reason);
            if (failure == null) {
                claimed.addAll(entry.identifiers());
                verdicts.add(new Verdict(entry, null, null, decision.codeId()));
            } else {
                verdicts.add(new Verdict(entry, failure, reason[0], null));
            }
        }
        return verdicts;
    }

    /** The first failing check of the entry (its metric reason in {@code reason[0]}), or null. */
    private static EntryOutcome firstFailure(CheckedEntry entry, Decision decision, Set<Identifier> existing,
            Set<Identifier> claimed, String[] reason) {
        if (entry.rejected() != null) {
            reason[0] = "resource";
            return entry.rejected();
        }
        Step refused = decision == null || decision.allowed() ? null : stepOf(decision);
        if (refused == Step.ACCESS) {
            reason[0] = "access";
            return outcomeOf(decision);
        }
        if (entry.deviceProblem() != null || refused == Step.DEVICE) {
            reason[0] = "device";
            return entry.deviceProblem() != null ? entry.deviceProblem() : outcomeOf(decision);
        }
        for (Identifier identifier : entry.identifiers()) {
            if (existing.contains(identifier) || claimed.contains(identifier)) {
                reason[0] = "duplicate";
                return EntryOutcome.failed(409, "duplicate", "Identifier already exists: system="
                        + EntryOutcome.quote(identifier.system()) + " value=" + EntryOutcome.quote(identifier.value()));
            }
        }
        if (entry.codingProblem() != null) {
            reason[0] = "coding";
            return entry.codingProblem();
        }
        if (refused == Step.CODE) {
            reason[0] = decision.status() == 403 ? "consent" : "code";
            return outcomeOf(decision);
        }
        if (decision == null || decision.codeId() == null) {
            // allowed without the code's id: admin-service broke its contract; fail closed
            reason[0] = "decision";
            return EntryOutcome.failed(503, "transient", "The upload decision is incomplete.");
        }
        if (entry.payloadProblem() != null) {
            reason[0] = entry.payloadProblem().status() == 422 ? "schema" : "payload";
        }
        return entry.payloadProblem();
    }

    /** Which check admin-service's refusal belongs to, from its messages (docs/compatibility.md#upload-checks). */
    private static Step stepOf(Decision decision) {
        String detail = decision.detail() == null ? "" : decision.detail().toLowerCase(Locale.ROOT);
        if (detail.contains("consent") || detail.startsWith("code not found")) {
            return Step.CODE;
        }
        if (detail.contains("device") || detail.contains("data source")) {
            return Step.DEVICE;
        }
        return Step.ACCESS;
    }

    private static EntryOutcome outcomeOf(Decision decision) {
        int status = decision.status() >= 400 && decision.status() < 500 ? decision.status() : 400;
        String code = switch (status) {
            case 403 -> "forbidden";
            case 404 -> "not-found";
            default -> "invalid";
        };
        String detail = decision.detail() == null || decision.detail().isBlank()
                ? (status == 403 ? DetailErrors.FORBIDDEN : "The entry was refused.")
                : decision.detail();
        return EntryOutcome.failed(status, code, detail);
    }
}
