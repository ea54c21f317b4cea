package org.jupyterhealth.exchange.admin.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.jupyterhealth.exchange.admin.web.AdminException.PermissionDeniedException;

/**
 * The role model's decisions that need no store: who is a superuser, which roles may do what, and which callers are
 * decided without a look-up. The permissions are built without a repository: a decision that would look anything up
 * fails these tests.
 */
class PermissionsTest {
    private static final Permissions WITHOUT_STORE = new Permissions(null);
    private static final long ORGANIZATION = 20003;

    private static Caller caller(boolean superuser, String userType, Long practitionerId, Long patientId) {
        return new Caller(new CurrentUser(10001, "someone@example.org", "Some", "One", userType, superuser, null),
                practitionerId, patientId);
    }

    private static final Caller SUPERUSER = caller(true, null, null, null);
    private static final Caller PRACTITIONER = caller(false, "practitioner", 80002L, null);
    private static final Caller PATIENT = caller(false, "patient", null, 40001L);
    /** An account whose token says practitioner but that has no practitioner record (yet). */
    private static final Caller WITHOUT_RECORD = caller(false, "practitioner", null, null);

    @Test
    void onlyASuperuserPassesTheSuperuserGate() {
        Permissions.requireSuperuser(SUPERUSER).await().indefinitely();
        for (Caller other : new Caller[] { PRACTITIONER, PATIENT, WITHOUT_RECORD }) {
            assertThatThrownBy(() -> Permissions.requireSuperuser(other).await().indefinitely())
                    .isInstanceOf(PermissionDeniedException.class)
                    .hasMessage("You do not have permission to perform this action.");
        }
    }

    @Test
    void managersMembersAndViewersMayDoWhatTheirRoleAllows() {
        assertThat(Permissions.allows(Permissions.MANAGER, Permissions.EDITORS)).isTrue();
        assertThat(Permissions.allows(Permissions.MEMBER, Permissions.EDITORS)).isTrue();
        assertThat(Permissions.allows(Permissions.VIEWER, Permissions.EDITORS)).isFalse();
        assertThat(Permissions.allows(Permissions.SUPER_USER, Permissions.EDITORS)).isTrue();

        assertThat(Permissions.allows(Permissions.MANAGER, Permissions.MANAGERS)).isTrue();
        assertThat(Permissions.allows(Permissions.MEMBER, Permissions.MANAGERS)).isFalse();
        assertThat(Permissions.allows(Permissions.VIEWER, Permissions.MANAGERS)).isFalse();
        assertThat(Permissions.allows(Permissions.SUPER_USER, Permissions.MANAGERS)).isTrue();

        assertThat(Permissions.allows(null, Permissions.EDITORS)).isFalse();
        assertThat(Permissions.allows("owner", Set.of(Permissions.MANAGER))).isFalse();
    }

    @Test
    void aSuperuserHasTheSuperuserRoleEverywhereWithoutALookUp() {
        assertThat(WITHOUT_STORE.role(SUPERUSER, ORGANIZATION).await().indefinitely())
                .isEqualTo(Permissions.SUPER_USER);
        assertThat(WITHOUT_STORE.require(SUPERUSER, ORGANIZATION, Permissions.MANAGERS).await().indefinitely())
                .isEqualTo(Permissions.SUPER_USER);
    }

    @Test
    void aPatientOrACallerWithoutAPractitionerRecordHasNoRoleAndIsRefused() {
        for (Caller caller : new Caller[] { PATIENT, WITHOUT_RECORD }) {
            assertThat(WITHOUT_STORE.role(caller, ORGANIZATION).await().indefinitely()).isNull();
            assertThatThrownBy(() -> WITHOUT_STORE.require(caller, ORGANIZATION, Permissions.EDITORS).await()
                    .indefinitely()).isInstanceOf(PermissionDeniedException.class);
        }
    }

    @Test
    void aPractitionerHasNoRoleInNoOrganization() {
        assertThat(WITHOUT_STORE.role(PRACTITIONER, null).await().indefinitely()).isNull();
        assertThatThrownBy(() -> WITHOUT_STORE.require(PRACTITIONER, null, Permissions.EDITORS).await()
                .indefinitely()).isInstanceOf(PermissionDeniedException.class);
    }

    @Test
    void aPatientReadsItsOwnRecordAndNoOtherPatients() {
        assertThat(WITHOUT_STORE.mayReadPatient(PATIENT, 40001).await().indefinitely()).isTrue();
        assertThat(WITHOUT_STORE.mayReadPatient(PATIENT, 40002).await().indefinitely()).isFalse();
        assertThat(WITHOUT_STORE.mayReadPatient(WITHOUT_RECORD, 40001).await().indefinitely()).isFalse();
        assertThat(WITHOUT_STORE.sharesOrganizationWithPatient(PATIENT, 40001).await().indefinitely()).isFalse();
    }

    @Test
    void aSuperuserWithoutRecordsReadsNoPatientRecordThroughMembership() {
        // administering everything is not seeing health data: reading a patient needs a shared organization
        assertThat(WITHOUT_STORE.mayReadPatient(SUPERUSER, 40001).await().indefinitely()).isFalse();
    }
}
