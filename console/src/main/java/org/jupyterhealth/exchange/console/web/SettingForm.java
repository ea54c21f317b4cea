package org.jupyterhealth.exchange.console.web;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A superuser's form that changes one of the exchange's settings: its key and type as the admin API has them, the
 * value as typed, and the error to show next to it. The value goes to the admin API as typed text, which reads it by
 * the setting's type ({@code 42} for an int, {@code yes} for a bool, a JSON document for json) and says what is wrong
 * with it; the console only refuses what no setting may hold.
 */
public record SettingForm(long id, String key, String valueType, String value, String valueError) {
    /** The admin API's longest value: a JSON document's; other types hold at most 10,000 characters there. */
    static final int MAX_VALUE = 100_000;

    /** The setting as the admin API answers it, its value written out as the form shows it. */
    static SettingForm of(JsonNode setting) {
        JsonNode value = setting.path("resolvedValue");
        String shown = value.isMissingNode() || value.isNull() ? "" : value.isTextual() ? value.asText()
                : value.toString();
        return new SettingForm(setting.path("id").asLong(), setting.path("key").asText(""),
                setting.path("valueType").asText("string"), shown, null);
    }

    /**
     * The form with the value as sent, checked: at most {@value #MAX_VALUE} characters, no control character but
     * line breaks and tabs (a string or JSON setting may span lines).
     */
    SettingForm withValue(String typed) {
        String text = typed == null ? "" : typed;
        String error = text.length() > MAX_VALUE ? "At most " + MAX_VALUE + " characters."
                : text.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')
                        ? "Control characters other than line breaks and tabs are not allowed." : null;
        return new SettingForm(id, key, valueType, text.length() > MAX_VALUE ? text.substring(0, MAX_VALUE) : text,
                error);
    }

    /** The form with the admin API's refusal of the value next to it. */
    SettingForm refusedBy(ApiRefusal refusal) {
        return new SettingForm(id, key, valueType, value, refusal.forField("value"));
    }

    public boolean valid() {
        return valueError == null;
    }
}
