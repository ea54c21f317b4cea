package org.jupyterhealth.exchange.console.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.jupyterhealth.exchange.console.api.AdminModel.Client;

/**
 * The superuser's form that registers an app (an OAuth client) or changes one, as sent, with each field's error to
 * show next to it: the name, the client id (on registration only: installed apps and their tokens name the client by
 * it, so the admin API never changes it) and the invitation URL the patients' invitations open ({@code CODE} in it is
 * replaced by the invitation). The console refuses what no app may hold; the admin API judges the rest (an https URL
 * of a public host, a client id not taken) and its refusal is shown next to the field it names.
 *
 * @param errors the message per field ({@code name}, {@code clientId}, {@code invitationUrl}), and {@code form} for
 *               one that names no field
 */
public record ClientForm(String name, String clientId, String invitationUrl, Map<String, String> errors) {
    /** identity-service's rule for a client id. */
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._~-]{1,100}");
    static final int MAX_NAME = 255;
    /** identity-service refuses longer invitation URLs. */
    static final int MAX_URL = 2000;

    static ClientForm empty() {
        return new ClientForm("", "", "", Map.of());
    }

    /** The app as it is, for its change form. */
    static ClientForm of(Client client) {
        return new ClientForm(client.name() == null ? "" : client.name(), client.clientId(),
                client.invitationUrl() == null ? "" : client.invitationUrl(), Map.of());
    }

    /** A registration as sent, checked: every field is required. */
    static ClientForm registration(String name, String clientId, String invitationUrl) {
        String id = trim(clientId, 101);
        Map<String, String> errors = new LinkedHashMap<>();
        ClientForm form = change(name, id, invitationUrl);
        errors.putAll(form.errors());
        if (id.isEmpty()) {
            errors.put("clientId", "Enter the app's client id.");
        } else if (!CLIENT_ID.matcher(id).matches()) {
            errors.put("clientId", "Use 1 to 100 letters, digits, '.', '_', '~' or '-'.");
        }
        return new ClientForm(form.name(), id, form.invitationUrl(), Map.copyOf(errors));
    }

    /** A change as sent, checked: the name and the invitation URL; the client id is the app's own. */
    static ClientForm change(String name, String clientId, String invitationUrl) {
        String text = trim(name, MAX_NAME + 1);
        String url = trim(invitationUrl, MAX_URL + 1);
        Map<String, String> errors = new LinkedHashMap<>();
        if (text.isEmpty()) {
            errors.put("name", "Enter the app's name.");
        } else if (text.length() > MAX_NAME || text.chars().anyMatch(Character::isISOControl)) {
            errors.put("name", "At most " + MAX_NAME + " characters, without control characters.");
        }
        if (url.isEmpty()) {
            errors.put("invitationUrl",
                    "Enter the URL the invitation opens, such as https://app.example/launch?code=CODE.");
        } else if (url.length() > MAX_URL || url.chars().anyMatch(c -> Character.isISOControl(c) || c == ' ')) {
            errors.put("invitationUrl", "At most " + MAX_URL + " characters, without spaces or control characters.");
        }
        return new ClientForm(text, clientId, url, Map.copyOf(errors));
    }

    /** The form with the admin API's refusal next to the field it names (else above the form). */
    ClientForm refusedBy(ApiRefusal refusal) {
        Map<String, String> errors = new LinkedHashMap<>();
        refusal.fields().forEach((field, message) -> errors.putIfAbsent(
                Map.of("name", "name", "clientId", "clientId", "invitationUrl", "invitationUrl")
                        .getOrDefault(field, "form"), message));
        if (errors.isEmpty()) {
            // a client id taken already is the API's 409 with a sentence only: it is the client id's
            errors.put(refusal.status() == 409 ? "clientId" : "form", refusal.detail());
        }
        return new ClientForm(name, clientId, invitationUrl, Map.copyOf(errors));
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
}
