package org.jupyterhealth.exchange.admin.consent;

import java.time.OffsetDateTime;
import java.util.List;

import org.jupyterhealth.exchange.admin.datasource.CodeResponse;
import org.jupyterhealth.exchange.admin.patient.PatientResponse;
import org.jupyterhealth.exchange.admin.study.StudyResponse.OrganizationRef;

/** The answers of {@code /patients/{id}/consents} (docs/compatibility.md#consents). */
public final class ConsentResponses {
    private ConsentResponses() {
    }

    /** What {@code GET} answers: the consents, or the count that {@code ?reset=true} deleted. */
    public sealed interface ConsentsView permits Consents, Reset {
    }

    /** The patient's consents: the data types consented to anywhere, the studies still asking, those decided. */
    public record Consents(PatientResponse patient, List<CodeResponse> consolidatedConsentedScopes,
            List<PendingStudy> studiesPendingConsent, List<DecidedStudy> studies) implements ConsentsView {
    }

    /** A study with data types the patient has not decided on yet. */
    public record PendingStudy(long id, String name, String description, OrganizationRef organization,
            String iconUrl, List<DataSourceScopes> dataSources, List<ScopeDecision> pendingScopeConsents) {
    }

    /** A study with the patient's decisions on its data types. */
    public record DecidedStudy(long id, String name, String description, OrganizationRef organization,
            String iconUrl, List<DataSourceScopes> dataSources, List<ScopeDecision> scopeConsents) {
    }

    /** A data source linked to a study, with the data types it supports. */
    public record DataSourceScopes(long id, String name, String type, List<CodeResponse> supportedScopes) {
    }

    /** A data type and the decision on it (none yet: {@code null}). */
    public record ScopeDecision(CodeResponse code, Boolean consented, OffsetDateTime consentedTime) {
    }

    /** {@code ?reset=true}: how many consents were deleted. */
    public record Reset(int resetCount) implements ConsentsView {
    }

    /** The answer of a {@code POST} or {@code PATCH}: every decision it recorded. */
    public record Recorded(List<ConsentItem> studyScopeConsents) {
    }

    /** A recorded decision. */
    public record ConsentItem(long id, StudyPatient studyPatient, CodeResponse scopeCode, Boolean consented,
            OffsetDateTime consentedTime) {
    }

    /** The enrolment a decision belongs to. */
    public record StudyPatient(long id, long study, long patient) {
    }
}
