package org.jupyterhealth.exchange.admin.practitioner;

/** A practitioner without its organizations, as a membership names it; {@code telecomEmail} is its account's. */
public record PractitionerSummary(long id, long jheUserId, String nameFamily, String nameGiven,
        String telecomEmail) {
}
