package org.jupyterhealth.exchange.console.web;

import java.util.List;

/**
 * The superuser's form that adds a data source, as sent, with each field's error to show next to it, and the error
 * of a deletion the admin API refused; the data source registry renders it back with a 400 when one is wrong.
 */
public record DataSourceForm(String name, String type, String nameError, String typeError, String deleteError) {
    /** The admin API's types of data source. */
    static final List<String> TYPES = List.of("personal_device", "medical_device", "patient_app");
    /** The admin API's column holds 255 characters. */
    static final int MAX_NAME = 255;

    static DataSourceForm empty() {
        return new DataSourceForm("", "personal_device", null, null, null);
    }

    /** The form as sent, checked: a name that is not blank and has no control character, one of the types. */
    static DataSourceForm checked(String name, String type) {
        String text = name == null ? "" : name.strip();
        String nameError = text.isEmpty() ? "Enter the data source's name."
                : text.length() > MAX_NAME || text.chars().anyMatch(Character::isISOControl)
                        ? "At most " + MAX_NAME + " characters, without control characters." : null;
        String typeError = type != null && TYPES.contains(type) ? null
                : "Choose personal device, medical device or patient app.";
        return new DataSourceForm(text.length() > MAX_NAME ? text.substring(0, MAX_NAME) : text,
                typeError == null ? type : "personal_device", nameError, typeError, null);
    }

    static DataSourceForm deleteRefused(String error) {
        return new DataSourceForm("", "personal_device", null, null, error);
    }

    /** The form with the admin API's refusal of the create next to its field (the name when it names none). */
    DataSourceForm refusedBy(ApiRefusal refusal) {
        String typeError = refusal.fields().get("type");
        return new DataSourceForm(name, type, typeError == null ? refusal.forField("name") : null, typeError, null);
    }

    public boolean valid() {
        return nameError == null && typeError == null;
    }
}
