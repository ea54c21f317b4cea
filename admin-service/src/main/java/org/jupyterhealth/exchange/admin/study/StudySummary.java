package org.jupyterhealth.exchange.admin.study;

/**
 * A study as its scope requests and links show it: the organization as its id, as the original wrote it
 * (docs/compatibility.md#studies).
 */
public record StudySummary(long id, String name, String description, long organization, String iconUrl) {

    public static StudySummary of(StudyResponse study) {
        return new StudySummary(study.id(), study.name(), study.description(), study.organizationId(),
                study.iconUrl());
    }
}
