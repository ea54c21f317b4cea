package org.jupyterhealth.exchange.console.api;

import java.util.List;

/**
 * The parts of the admin API's answers the console shows (docs/compatibility.md#response-shapes); fields it does not
 * use are ignored.
 */
public final class AdminModel {
    private AdminModel() {
    }

    /** {@code GET /api/v1/users/profile}; {@code practitioner} is null for an administrator without one. */
    public record Profile(long id, String email, String firstName, String lastName, String userType,
            boolean isSuperuser, Settings settings, Practitioner practitioner, PatientProfile patient) {

        /** A patient's account: it sees its own record and its access report, no organization. */
        public boolean isPatient() {
            return "patient".equals(userType);
        }

        /** The organization the user last worked in (the admin API remembers it), or null. */
        public Long currentOrganizationId() {
            return settings == null ? null : settings.currentOrganizationId();
        }

        public String displayName() {
            String name = ((firstName == null ? "" : firstName) + " " + (lastName == null ? "" : lastName)).trim();
            // a patient's profile carries no name or e-mail (they are health data, on its patient record)
            return !name.isEmpty() ? name : email != null ? email : isPatient() ? "Patient" : "User " + id;
        }
    }

    /** A patient's part of its profile: its patient record's id. */
    public record PatientProfile(long id, Long jheUserId) {
    }

    public record Practitioner(long id, List<Organization> organizations) {
    }

    /** A practitioner's settings: what the admin API remembers of their last selection. */
    public record Settings(Long currentOrganizationId, Long currentStudyId) {
    }

    /** An organization; {@code currentUserRole} is the signed-in user's role in it (manager, member, viewer). */
    public record Organization(long id, String name, String type, Long partOf, String currentUserRole,
            List<Organization> children) {

        public List<Organization> childList() {
            return children == null ? List.of() : children;
        }
    }

    public record Member(long id, String email, String firstName, String lastName, String role) {
    }

    /** The admin API's page: the total count and one page of results. */
    public record Page<T>(long count, String next, String previous, List<T> results) {
    }

    public record Patient(long id, Long jheUserId, String identifier, List<Identifier> identifiers,
            String nameFamily, String nameGiven, String birthDate, String telecomPhone, String telecomEmail,
            Long organizationId, List<Organization> organizations) {

        public String displayName() {
            String family = nameFamily == null ? "" : nameFamily;
            String given = nameGiven == null ? "" : nameGiven;
            if (family.isEmpty() && given.isEmpty()) {
                return "patient " + id;
            }
            return family.isEmpty() ? given : given.isEmpty() ? family : family + ", " + given;
        }
    }

    public record Identifier(long id, String system, String value) {
    }

    /** {@code GET /api/v1/patients/{id}/consents}: the patient's studies and, per study, each scope's consent. */
    public record ConsentsView(List<Code> consolidatedConsentedScopes, List<StudyConsents> studiesPendingConsent,
            List<StudyConsents> studies) {
    }

    public record StudyConsents(long id, String name, String description, OrganizationRef organization,
            List<ScopeConsent> scopeConsents) {
    }

    public record OrganizationRef(long id, String name) {
    }

    public record ScopeConsent(Code code, Boolean consented, String consentedTime) {
    }

    public record Code(long id, String codingSystem, String codingCode, String text) {
    }

    /** A study; {@code organization} is the one it belongs to. */
    public record Study(long id, String name, String description, OrganizationRef organization) {
    }

    /** A type of data a study asks its patients for. */
    public record ScopeRequest(long id, Code scopeCode) {
    }

    /** An app linked to a study: the patients' app the invitation opens. */
    public record ClientLink(long id, Client client) {
    }

    public record Client(long id, String name, String clientId, String invitationUrl) {
    }

    /**
     * A practitioner as a superuser sees it: its account's e-mail, its names, and its organizations with its role in
     * each. {@code activationLink} is only in the answer to a create that opened an account where the exchange sends
     * no e-mail: the console shows it on that answer's page once and keeps it nowhere.
     */
    public record PractitionerRecord(long id, long jheUserId, String nameFamily, String nameGiven, String telecomEmail,
            List<Organization> organizations, String activationLink, String activationExpiresAt) {

        public String displayName() {
            String name = ((nameGiven == null ? "" : nameGiven) + " " + (nameFamily == null ? "" : nameFamily)).trim();
            return name.isEmpty() ? telecomEmail != null ? telecomEmail : "practitioner " + id : name;
        }

        public List<Organization> organizationList() {
            return organizations == null ? List.of() : organizations;
        }
    }

    /** A source of data (a device or a platform) linked to a study. */
    public record DataSourceLink(long id, DataSource dataSource) {
    }

    public record DataSource(long id, String name, String type, String lastUpdated) {
    }
}
