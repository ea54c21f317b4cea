package org.jupyterhealth.exchange.admin.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.consent.ConsentRepository.Decision;
import org.jupyterhealth.exchange.admin.consent.ConsentRepository.EnrolledStudy;
import org.jupyterhealth.exchange.admin.consent.ConsentRepository.OfStudy;
import org.jupyterhealth.exchange.admin.consent.ConsentRepository.WriterRight;
import org.jupyterhealth.exchange.admin.consent.ConsentResponses.Consents;
import org.jupyterhealth.exchange.admin.consent.ConsentResponses.DataSourceScopes;
import org.jupyterhealth.exchange.admin.consent.ConsentResponses.DecidedStudy;
import org.jupyterhealth.exchange.admin.consent.ConsentResponses.PendingStudy;
import org.jupyterhealth.exchange.admin.consent.ConsentResponses.ScopeDecision;
import org.jupyterhealth.exchange.admin.datasource.CodeResponse;
import org.jupyterhealth.exchange.admin.study.StudyResponse.OrganizationRef;
import org.jupyterhealth.exchange.admin.web.AdminException.PermissionDeniedException;

/** How a patient's per-study, per-code consents are merged into the answer, and who may change them. */
class ConsentServiceTest {
    private static final String OMH = "https://w3id.org/openmhealth";
    private static final CodeResponse BLOOD_PRESSURE = new CodeResponse(50001, OMH, "omh:blood-pressure:4.0", "BP");
    private static final CodeResponse HEART_RATE = new CodeResponse(50002, OMH, "omh:heart-rate:2.0", "HR");
    private static final CodeResponse STEPS = new CodeResponse(50003, OMH, "omh:step-count:2.0", "Steps");
    private static final OrganizationRef LAB = new OrganizationRef(20003, "Lifespan Lab", "laboratory");
    private static final EnrolledStudy FIRST = new EnrolledStudy(30001, "First", "", LAB, null);
    private static final EnrolledStudy SECOND = new EnrolledStudy(30002, "Second", "", LAB, null);
    private static final OffsetDateTime WHEN = OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);

    private static OfStudy<Decision> decision(EnrolledStudy study, long id, CodeResponse code, boolean consented) {
        return new OfStudy<>(study.id(), new Decision(id, code, consented, WHEN));
    }

    @Test
    void aCodeConsentedInAnyStudyIsConsolidatedOnceEvenWhereAnotherStudyWasRefusedIt() {
        Consents consents = ConsentService.consolidate(null, List.of(FIRST, SECOND), List.of(),
                List.of(decision(FIRST, 1, HEART_RATE, true), decision(FIRST, 2, BLOOD_PRESSURE, false),
                        decision(SECOND, 3, BLOOD_PRESSURE, true), decision(SECOND, 4, HEART_RATE, true),
                        decision(SECOND, 5, STEPS, false)),
                List.of());

        // in the order of the first decision that consented; steps were refused everywhere
        assertThat(consents.consolidatedConsentedScopes()).containsExactly(HEART_RATE, BLOOD_PRESSURE);
        assertThat(consents.studies()).extracting(DecidedStudy::id).containsExactly(30001L, 30002L);
        assertThat(consents.studies().get(0).scopeConsents()).containsExactly(
                new ScopeDecision(HEART_RATE, true, WHEN), new ScopeDecision(BLOOD_PRESSURE, false, WHEN));
        assertThat(consents.studies().get(1).scopeConsents()).extracting(ScopeDecision::consented)
                .containsExactly(true, true, false);
        assertThat(consents.studiesPendingConsent()).isEmpty();
    }

    @Test
    void aRefusalEverywhereConsolidatesToNothing() {
        Consents consents = ConsentService.consolidate(null, List.of(FIRST, SECOND), List.of(),
                List.of(decision(FIRST, 1, HEART_RATE, false), decision(SECOND, 2, HEART_RATE, false)), List.of());

        assertThat(consents.consolidatedConsentedScopes()).isEmpty();
        assertThat(consents.studies()).hasSize(2);
    }

    @Test
    void undecidedCodesMakeAStudyPendingBesidesTheDecisionsItHas() {
        DataSourceScopes watch = new DataSourceScopes(70001, "Watch", "personal_device", List.of(HEART_RATE));
        Consents consents = ConsentService.consolidate(null, List.of(FIRST, SECOND),
                List.of(new OfStudy<>(SECOND.id(), STEPS), new OfStudy<>(FIRST.id(), HEART_RATE)),
                List.of(decision(SECOND, 1, BLOOD_PRESSURE, true)),
                List.of(new OfStudy<>(SECOND.id(), watch)));

        assertThat(consents.studiesPendingConsent()).extracting(PendingStudy::id).containsExactly(30001L, 30002L);
        assertThat(consents.studiesPendingConsent().get(0).pendingScopeConsents())
                .containsExactly(new ScopeDecision(HEART_RATE, null, null));
        assertThat(consents.studiesPendingConsent().get(0).dataSources()).isEmpty();
        assertThat(consents.studiesPendingConsent().get(1).dataSources()).containsExactly(watch);
        assertThat(consents.studies()).extracting(DecidedStudy::id).containsExactly(30002L);
        assertThat(consents.studies().get(0).dataSources()).containsExactly(watch);
        // an undecided code is not a consent
        assertThat(consents.consolidatedConsentedScopes()).containsExactly(BLOOD_PRESSURE);
    }

    @Test
    void managersAndMembersSharingTheStudysOrganizationWithThePatientMayChangeItsConsents() {
        assertThatCode(() -> ConsentService.judgeWriterRights(List.of(new WriterRight(30001, "manager", true),
                new WriterRight(30002, "member", true)))).doesNotThrowAnyException();
    }

    @Test
    void aViewersRoleIsNotValidForChangingConsents() {
        assertThatThrownBy(() -> ConsentService.judgeWriterRights(List.of(new WriterRight(30001, "manager", true),
                new WriterRight(30002, "viewer", true))))
                .isInstanceOf(PermissionDeniedException.class).hasMessage(ConsentService.ROLE_NOT_VALID);
    }

    @Test
    void aPractitionerOutsideTheStudysOrganizationOrNotSharingItWithThePatientIsRefused() {
        assertThatThrownBy(() -> ConsentService.judgeWriterRights(List.of(new WriterRight(30001, null, true))))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessage(ConsentService.PRACTITIONER_NOT_AUTHORIZED);
        assertThatThrownBy(() -> ConsentService.judgeWriterRights(List.of(new WriterRight(30001, "manager", false))))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessage(ConsentService.PRACTITIONER_NOT_AUTHORIZED);
    }
}
