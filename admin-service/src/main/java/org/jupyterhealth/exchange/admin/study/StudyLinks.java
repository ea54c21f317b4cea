package org.jupyterhealth.exchange.admin.study;

import java.time.OffsetDateTime;
import java.util.List;

import org.jupyterhealth.exchange.admin.datasource.CodeResponse;
import org.jupyterhealth.exchange.admin.patient.PatientResponse;

/** The answers of a study's sub-resources: enrolments, scope requests and linked clients and data sources. */
public final class StudyLinks {
    private StudyLinks() {
    }

    /** A patient's enrolment in a study. */
    public record Enrolment(long id, StudyResponse study, PatientResponse patient) {
    }

    /** The answer of an enrolment: every enrolment it made. */
    public record Enrolments(List<Enrolment> studyPatients) {
    }

    /** A data type a study asks its patients to share. */
    public record ScopeRequest(long id, StudySummary study, CodeResponse scopeCode) {
    }

    /** A patient app linked to a study. */
    public record ClientLink(long id, StudySummary study, Client client) {
    }

    public record Client(long id, String name, String clientId, String invitationUrl) {
    }

    /** A data source linked to a study. */
    public record DataSourceLink(long id, StudySummary study, DataSource dataSource) {
    }

    public record DataSource(long id, String name, String type, OffsetDateTime lastUpdated) {
    }

    /** A new link of a patient app. */
    public record NewClientLink(long id, long studyId, long clientId) {
    }

    /** A new link of a data source. */
    public record NewDataSourceLink(long id, long studyId, long dataSourceId) {
    }
}
