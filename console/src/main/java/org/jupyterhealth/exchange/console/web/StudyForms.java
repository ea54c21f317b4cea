package org.jupyterhealth.exchange.console.web;

/**
 * The study page's forms as last sent, with each field's error to show next to it: the patient to enrol (as typed),
 * the type of data, the data source and the app to add. The page renders them back with a 400 (or the API's 409) when
 * one was refused.
 */
public record StudyForms(String patient, String patientError, String scopeError, String dataSourceError,
        String clientError) {
    static final int MAX_PATIENT = PatientListing.MAX_SEARCH;

    static StudyForms empty() {
        return new StudyForms("", null, null, null, null);
    }

    static StudyForms forPatient(String typed, String error) {
        String shown = typed == null ? "" : typed.strip();
        return new StudyForms(shown.length() > MAX_PATIENT ? shown.substring(0, MAX_PATIENT) : shown, error, null,
                null, null);
    }

    static StudyForms forScope(String error) {
        return new StudyForms("", null, error, null, null);
    }

    static StudyForms forDataSource(String error) {
        return new StudyForms("", null, null, error, null);
    }

    static StudyForms forClient(String error) {
        return new StudyForms("", null, null, null, error);
    }

    /**
     * What the enrolment form may look a patient up by: an e-mail address or part of a name, at most 100 characters
     * (the admin API's search), without control characters; null when it is not that (the caller shows the error).
     */
    static String patientTerm(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String term = value.strip();
        return term.length() > MAX_PATIENT || term.chars().anyMatch(Character::isISOControl) ? null : term;
    }
}
