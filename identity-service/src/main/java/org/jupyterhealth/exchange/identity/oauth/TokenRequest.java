package org.jupyterhealth.exchange.identity.oauth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jupyterhealth.exchange.identity.web.FormInput;

/**
 * The parameters of one form request to an OAuth endpoint, each present at most once (RFC 6749 §3.1, §3.2), and
 * the address of the client that sent it (for the refusal of repeated failed sign-ins).
 */
public record TokenRequest(Map<String, String> parameters, String clientAddress) {

    /**
     * Parses an {@code application/x-www-form-urlencoded} body.
     *
     * @throws OAuthException {@code invalid_request} when the body cannot be read (naming the parameter) or a
     *         parameter is repeated
     */
    public static TokenRequest parse(String body, String clientAddress) {
        Map<String, List<String>> decoded;
        try {
            decoded = FormInput.decode(body);
        } catch (FormInput.MalformedException e) {
            throw OAuthException.invalidRequest(e.getMessage());
        }
        Map<String, String> single = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> entry : decoded.entrySet()) {
            if (entry.getValue().size() > 1) {
                throw OAuthException.invalidRequest("Parameter " + entry.getKey() + " is included more than once.");
            }
            single.put(entry.getKey(), entry.getValue().get(0));
        }
        return new TokenRequest(Map.copyOf(single), clientAddress);
    }

    /** The value, or null when absent or empty (RFC 6749 §3.1: empty parameters are treated as omitted). */
    public String get(String name) {
        String value = parameters.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /** The value, or {@code invalid_request} naming the missing parameter. */
    public String require(String name) {
        String value = get(name);
        if (value == null) {
            throw OAuthException.invalidRequest("Missing " + name + " parameter.");
        }
        return value;
    }
}
