package org.jupyterhealth.exchange.console.web;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The form that adds a patient to an organization, as sent, with the error of each field to show next to it: the
 * e-mail address (required: the patient's account and invitations go to it), the names and the birth date. The
 * patient list renders it back with a 400 when a field is wrong here or in the admin API's judgement.
 *
 * @param errors the message per field ({@code email}, {@code nameGiven}, {@code nameFamily}, {@code birthDate}),
 *               and {@code form} for one that names no field
 */
public record PatientForm(String email, String nameGiven, String nameFamily, String birthDate,
        Map<String, String> errors) {
    static final int MAX_EMAIL = 254;
    /** The admin API's longest person name. */
    static final int MAX_NAME = 150;
    private static final Pattern EMAIL = Pattern.compile(
            "[^\\s@\\p{Cntrl}]{1,64}@[^\\s@\\p{Cntrl}]+\\.[^\\s@\\p{Cntrl}]+");
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");
    /** The admin API's field names, and the form's. */
    private static final Map<String, String> API_FIELDS = Map.of("telecomEmail", "email", "nameGiven", "nameGiven",
            "nameFamily", "nameFamily", "birthDate", "birthDate");

    static PatientForm empty() {
        return new PatientForm("", "", "", "", Map.of());
    }

    /** The form as sent, checked: each wrong field with its error. */
    static PatientForm checked(String email, String nameGiven, String nameFamily, String birthDate) {
        String address = trim(email, MAX_EMAIL + 1);
        String given = trim(nameGiven, MAX_NAME + 1);
        String family = trim(nameFamily, MAX_NAME + 1);
        String born = trim(birthDate, 11);
        Map<String, String> errors = new LinkedHashMap<>();
        if (address.isEmpty()) {
            errors.put("email", "Enter the patient's e-mail address.");
        } else if (address.length() > MAX_EMAIL || !EMAIL.matcher(address).matches()) {
            errors.put("email", "Enter an e-mail address such as name@example.org.");
        }
        if (given.length() > MAX_NAME || given.chars().anyMatch(Character::isISOControl)) {
            errors.put("nameGiven", "At most " + MAX_NAME + " characters, without control characters.");
        }
        if (family.length() > MAX_NAME || family.chars().anyMatch(Character::isISOControl)) {
            errors.put("nameFamily", "At most " + MAX_NAME + " characters, without control characters.");
        }
        if (!born.isEmpty()) {
            String error = "Enter the birth date as YYYY-MM-DD, not after today.";
            if (!DATE.matcher(born).matches()) {
                errors.put("birthDate", error);
            } else {
                try {
                    if (LocalDate.parse(born).isAfter(LocalDate.now())) {
                        errors.put("birthDate", error);
                    }
                } catch (DateTimeParseException e) {
                    errors.put("birthDate", error);
                }
            }
        }
        return new PatientForm(address, given, family, born, Map.copyOf(errors));
    }

    /** The form with the admin API's refusal next to the field it names (else above the form). */
    PatientForm refusedBy(ApiRefusal refusal) {
        Map<String, String> errors = new LinkedHashMap<>();
        refusal.fields().forEach((field, message) -> errors.putIfAbsent(API_FIELDS.getOrDefault(field, "form"),
                message));
        if (errors.isEmpty()) {
            errors.put("form", refusal.detail());
        }
        return new PatientForm(email, nameGiven, nameFamily, birthDate, Map.copyOf(errors));
    }

    public boolean valid() {
        return errors.isEmpty();
    }

    public String error(String field) {
        return errors.get(field);
    }

    /** Spaces around taken off, at most {@code max} characters kept (enough to show back and judge). */
    private static String trim(String value, int max) {
        String text = value == null ? "" : value.strip();
        return text.length() > max ? text.substring(0, max) : text;
    }

    /** An optional field for the admin API: null when left empty. */
    static String orNull(String value) {
        return value.isEmpty() ? null : value;
    }
}
