package org.jupyterhealth.exchange.console.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.jupyterhealth.exchange.console.api.AdminModel.PractitionerRecord;

/**
 * The superuser's form that adds a practitioner (an e-mail address, which becomes the account's sign-in name, the
 * names, and optionally the number of an organization to make them a member of) or renames one, as sent, with each
 * field's error to show next to it. The admin API judges the rest (an organization that does not exist) and its
 * refusal is shown next to the field it names.
 *
 * @param errors the message per field ({@code email}, {@code nameGiven}, {@code nameFamily}, {@code organizationId}),
 *               and {@code form} for one that names no field
 */
public record PractitionerForm(String email, String nameGiven, String nameFamily, String organizationId,
        Map<String, String> errors) {
    static final int MAX_EMAIL = 254;
    /** identity-service keeps people's names in 150 characters. */
    static final int MAX_NAME = 150;
    private static final Pattern EMAIL = Pattern.compile(
            "[^\\s@\\p{Cntrl}]{1,64}@[^\\s@\\p{Cntrl}]+\\.[^\\s@\\p{Cntrl}]+");
    /** The admin API's field names, and the form's. */
    private static final Map<String, String> API_FIELDS = Map.of("telecomEmail", "email", "nameGiven", "nameGiven",
            "nameFamily", "nameFamily", "organizationId", "organizationId");

    static PractitionerForm empty() {
        return new PractitionerForm("", "", "", "", Map.of());
    }

    /** The practitioner as it is, for the form that renames it. */
    static PractitionerForm of(PractitionerRecord practitioner) {
        return new PractitionerForm(practitioner.telecomEmail() == null ? "" : practitioner.telecomEmail(),
                practitioner.nameGiven() == null ? "" : practitioner.nameGiven(),
                practitioner.nameFamily() == null ? "" : practitioner.nameFamily(), "", Map.of());
    }

    /** A new practitioner as sent, checked: the e-mail is required, the organization optional. */
    static PractitionerForm addition(String email, String nameGiven, String nameFamily, String organizationId) {
        String address = trim(email, MAX_EMAIL + 1);
        String organization = trim(organizationId, 20);
        PractitionerForm names = renaming(address, nameGiven, nameFamily);
        Map<String, String> errors = new LinkedHashMap<>(names.errors());
        if (address.isEmpty()) {
            errors.put("email", "Enter the practitioner's e-mail address.");
        } else if (address.length() > MAX_EMAIL || !EMAIL.matcher(address).matches()) {
            errors.put("email", "Enter an e-mail address such as name@example.org.");
        }
        if (!organization.isEmpty() && !Inputs.isId(organization)) {
            errors.put("organizationId", "Enter an organization's number, or leave it empty.");
        }
        return new PractitionerForm(address, names.nameGiven(), names.nameFamily(), organization,
                Map.copyOf(errors));
    }

    /** New names as sent, checked; the e-mail shown is the practitioner's own, which does not change. */
    static PractitionerForm renaming(String email, String nameGiven, String nameFamily) {
        String given = trim(nameGiven, MAX_NAME + 1);
        String family = trim(nameFamily, MAX_NAME + 1);
        Map<String, String> errors = new LinkedHashMap<>();
        if (given.length() > MAX_NAME || given.chars().anyMatch(Character::isISOControl)) {
            errors.put("nameGiven", "At most " + MAX_NAME + " characters, without control characters.");
        }
        if (family.length() > MAX_NAME || family.chars().anyMatch(Character::isISOControl)) {
            errors.put("nameFamily", "At most " + MAX_NAME + " characters, without control characters.");
        }
        return new PractitionerForm(email, given, family, "", Map.copyOf(errors));
    }

    /** The form with the admin API's refusal next to the field it names (else above the form). */
    PractitionerForm refusedBy(ApiRefusal refusal) {
        Map<String, String> errors = new LinkedHashMap<>();
        refusal.fields().forEach((field, message) -> errors.putIfAbsent(API_FIELDS.getOrDefault(field, "form"),
                message));
        if (errors.isEmpty()) {
            errors.put("form", refusal.detail());
        }
        return new PractitionerForm(email, nameGiven, nameFamily, organizationId, Map.copyOf(errors));
    }

    public boolean valid() {
        return errors.isEmpty();
    }

    public String error(String field) {
        return errors.get(field);
    }

    /** The organization as the admin API takes it: null when left empty. */
    Long organization() {
        return organizationId.isEmpty() ? null : Long.valueOf(organizationId);
    }

    /** Spaces around taken off, at most {@code max} characters kept (enough to show back and judge). */
    private static String trim(String value, int max) {
        String text = value == null ? "" : value.strip();
        return text.length() > max ? text.substring(0, max) : text;
    }
}
