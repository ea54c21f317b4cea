package org.jupyterhealth.exchange.admin.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.access.AccessRepository.ConsentedCode;
import org.jupyterhealth.exchange.admin.access.AccessRepository.PatientCode;
import org.jupyterhealth.exchange.admin.access.AccessRepository.ScopeFacts;
import org.jupyterhealth.exchange.admin.access.AccessService.Code;
import org.jupyterhealth.exchange.admin.access.AccessService.Grant;
import org.jupyterhealth.exchange.admin.access.AccessService.Scope;
import org.jupyterhealth.exchange.admin.access.AccessService.Subject;
import org.jupyterhealth.exchange.admin.access.AccessService.UploadDecision;
import org.jupyterhealth.exchange.admin.access.AccessService.UploadEntry;
import org.jupyterhealth.exchange.admin.access.AccessService.UploadFacts;
import org.jupyterhealth.exchange.admin.web.AdminException.NotFoundException;
import org.jupyterhealth.exchange.admin.web.AdminException.PermissionDeniedException;

/** The access decisions made from what the store answered: grants, scope refusals, upload decisions. */
class AccessServiceTest {
    private static final String OMH = "https://w3id.org/openmhealth";
    private static final Code BLOOD_PRESSURE = new Code(OMH, "omh:blood-pressure:4.0");
    private static final Code HEART_RATE = new Code(OMH, "omh:heart-rate:2.0");
    private static final Code STEPS = new Code(OMH, "omh:step-count:2.0");

    // ------------------------------------------------------------------------------------------------ grants

    @Test
    void aPatientsConsentsInSeveralStudiesMergeIntoOneCodeSet() {
        // 40001 consented to blood pressure in one study and to heart rate (twice) in two others
        List<Grant> grants = AccessService.grants(List.of(new PatientCode(40001, HEART_RATE),
                new PatientCode(40001, BLOOD_PRESSURE), new PatientCode(40001, HEART_RATE)));

        assertThat(grants).containsExactly(new Grant(List.of(40001L), List.of(BLOOD_PRESSURE, HEART_RATE)));
    }

    @Test
    void patientsWithTheSameCodesShareAGrantAndOthersGetTheirOwn() {
        List<Grant> grants = AccessService.grants(List.of(new PatientCode(40005, STEPS),
                new PatientCode(40002, HEART_RATE), new PatientCode(40001, BLOOD_PRESSURE),
                new PatientCode(40002, BLOOD_PRESSURE), new PatientCode(40001, HEART_RATE)));

        // groups in the order of their first patient; patients by id; codes by system, then code
        assertThat(grants).containsExactly(
                new Grant(List.of(40001L, 40002L), List.of(BLOOD_PRESSURE, HEART_RATE)),
                new Grant(List.of(40005L), List.of(STEPS)));
    }

    @Test
    void nothingConsentedIsNoGrantAtAll() {
        assertThat(AccessService.grants(List.of())).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ scope

    private static final Scope SCOPE = new Scope(20003L, 30002L, 40001L);

    private static ScopeFacts facts(boolean orgExists, boolean studyExists, boolean patientExists,
            boolean orgVisible, boolean studyVisible, boolean patientVisible) {
        return new ScopeFacts(orgExists, studyExists, patientExists, orgVisible, studyVisible, patientVisible);
    }

    @Test
    void aFilterThatDoesNotExistIsA404BeforeAnyOneOutOfReachIsA403() {
        assertThatThrownBy(() -> AccessService.judgeScope(SCOPE, facts(true, false, true, false, false, false)))
                .isInstanceOf(NotFoundException.class).hasMessage("Group/30002 does not exist.");
        assertThatThrownBy(() -> AccessService.judgeScope(SCOPE, facts(false, false, false, false, false, false)))
                .isInstanceOf(NotFoundException.class).hasMessage("Organization/20003 does not exist.");
        assertThatThrownBy(() -> AccessService.judgeScope(SCOPE, facts(true, true, false, true, true, false)))
                .isInstanceOf(NotFoundException.class).hasMessage("Patient/40001 does not exist.");
    }

    @Test
    void aFilterOutOfReachIsA403NamingIt() {
        assertThatThrownBy(() -> AccessService.judgeScope(SCOPE, facts(true, true, true, false, true, true)))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessage("Current user is not authorized to access Organization/20003.");
        assertThatThrownBy(() -> AccessService.judgeScope(SCOPE, facts(true, true, true, true, false, false)))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessage("Current user is not authorized to access Group/30002.");
        assertThatThrownBy(() -> AccessService.judgeScope(SCOPE, facts(true, true, true, true, true, false)))
                .isInstanceOf(PermissionDeniedException.class)
                .hasMessage("Current user is not authorized to access Patient/40001.");
        assertThatCode(() -> AccessService.judgeScope(SCOPE, facts(true, true, true, true, true, true)))
                .doesNotThrowAnyException();
    }

    // ------------------------------------------------------------------------------------------------ uploads

    private static final Subject PATIENT_40001 = new Subject(10006, null, 40001L);
    /** A manager or member sharing an organization with 40001 (the store answered true for it). */
    private static final Subject EDITOR = new Subject(10003, 80001L, null);
    /** A viewer of 40001's organization, or a practitioner sharing none with 40002 (the store answered false). */
    private static final Subject NOT_AN_UPLOADER = new Subject(10005, 80003L, null);
    private static final Subject WITHOUT_RECORDS = new Subject(10099, null, null);

    /** 40001 and 40002 exist (the editor may upload for 40001 only); 70001 is a device, 70002 is not. */
    private static UploadFacts facts(Subject subject) {
        boolean editor = subject == EDITOR;
        return new UploadFacts(Map.of(40001L, editor, 40002L, false),
                Map.of(70001L, "personal_device", 70002L, "data_platform"),
                Map.of(BLOOD_PRESSURE, 50001L, HEART_RATE, 50002L),
                Set.of(new ConsentedCode(40001, 50001), new ConsentedCode(40002, 50002)));
    }

    private static UploadDecision decide(Subject subject, Long patientId, Code code, Long dataSourceId) {
        return AccessService.decide(subject, new UploadEntry(patientId, code == null ? null : code.system(),
                code == null ? null : code.code(), dataSourceId), facts(subject));
    }

    @Test
    void aPatientUploadsItsOwnConsentedCodes() {
        assertThat(decide(PATIENT_40001, 40001L, BLOOD_PRESSURE, 70001L))
                .isEqualTo(new UploadDecision(201, null, 50001L));
    }

    @Test
    void aManagerOrMemberUploadsForAPatientItSharesAnOrganizationWith() {
        assertThat(decide(EDITOR, 40001L, BLOOD_PRESSURE, 70001L)).isEqualTo(new UploadDecision(201, null, 50001L));
    }

    @Test
    void aViewerOrAPractitionerOutsideThePatientsOrganizationsMayNotUpload() {
        assertThat(decide(NOT_AN_UPLOADER, 40001L, BLOOD_PRESSURE, 70001L))
                .isEqualTo(new UploadDecision(403, "Current user doesn't have access to the Patient.", null));
        assertThat(decide(EDITOR, 40002L, HEART_RATE, 70001L))
                .isEqualTo(new UploadDecision(403, "Current user doesn't have access to the Patient.", null));
    }

    @Test
    void aPatientMayNotUploadForAnotherPatientNorAnAccountWithoutRecordsForAnyone() {
        assertThat(decide(PATIENT_40001, 40002L, HEART_RATE, 70001L))
                .isEqualTo(new UploadDecision(403, "The Subject Patient does not match the current user.", null));
        assertThat(decide(WITHOUT_RECORDS, 40001L, BLOOD_PRESSURE, 70001L))
                .isEqualTo(new UploadDecision(403, "Current user doesn't have access to the Patient.", null));
    }

    @Test
    void anUnknownPatientIsA400BeforeTheUploadersRightIsJudged() {
        assertThat(decide(WITHOUT_RECORDS, 49999L, BLOOD_PRESSURE, 70001L))
                .isEqualTo(new UploadDecision(400, "Patient id=49999 can not be found.", null));
        assertThat(decide(PATIENT_40001, null, BLOOD_PRESSURE, 70001L))
                .isEqualTo(new UploadDecision(400, "Patient id=null can not be found.", null));
    }

    @Test
    void theDeviceMustBeAKnownPersonalDevice() {
        assertThat(decide(PATIENT_40001, 40001L, BLOOD_PRESSURE, null)).isEqualTo(new UploadDecision(400,
                "Device is required and must be a reference to a Device ID and start with 'Device/'.", null));
        assertThat(decide(PATIENT_40001, 40001L, BLOOD_PRESSURE, 70002L))
                .isEqualTo(new UploadDecision(400, "Device Data Source id=70002 can not be found.", null));
        assertThat(decide(PATIENT_40001, 40001L, BLOOD_PRESSURE, 79999L))
                .isEqualTo(new UploadDecision(400, "Device Data Source id=79999 can not be found.", null));
    }

    @Test
    void aResourceOfTheFhirStoreIsWrittenThroughAnyKnownDataSourceWithItsTypeConsented() {
        Code questionnaires = new Code(AccessService.RESOURCE_TYPES, "QuestionnaireResponse");
        UploadFacts facts = new UploadFacts(Map.of(40001L, false), Map.of(70005L, "patient_app"),
                Map.of(questionnaires, 50011L), Set.of(new ConsentedCode(40001, 50011)));
        assertThat(AccessService.decide(PATIENT_40001, new UploadEntry(40001L, questionnaires.system(),
                questionnaires.code(), 70005L), facts)).isEqualTo(new UploadDecision(201, null, 50011L));
        assertThat(AccessService.decide(PATIENT_40001, new UploadEntry(40001L, questionnaires.system(),
                questionnaires.code(), 79999L), facts))
                .isEqualTo(new UploadDecision(400, "Device Data Source id=79999 can not be found.", null));
        // the same patient app is no device for Open mHealth data
        assertThat(AccessService.decide(PATIENT_40001, new UploadEntry(40001L, OMH, "omh:blood-pressure:4.0",
                70005L), facts)).isEqualTo(new UploadDecision(400, "Device Data Source id=70005 can not be found.",
                null));
    }

    @Test
    void anUnknownCodeIsA400QuotingItShortened() {
        Code unknown = new Code(OMH, "x".repeat(150));
        assertThat(decide(PATIENT_40001, 40001L, unknown, 70001L)).isEqualTo(new UploadDecision(400,
                "Code not found: system=" + OMH + " code=" + "x".repeat(100) + "….", null));
        assertThat(decide(PATIENT_40001, 40001L, null, 70001L))
                .isEqualTo(new UploadDecision(400, "Code not found: system=null code=null.", null));
    }

    @Test
    void aCodeThePatientConsentedToInNoStudyIsRefusedWithItsId() {
        // 40001 consented to blood pressure only; heart rate was consented by 40002, which does not count for 40001
        assertThat(decide(PATIENT_40001, 40001L, HEART_RATE, 70001L)).isEqualTo(new UploadDecision(403,
                "Observation data with coding_system=" + OMH + " coding_code=omh:heart-rate:2.0 has not been "
                        + "consented for any studies by this Patient.", 50002L));
    }
}
