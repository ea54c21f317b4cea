package org.jupyterhealth.exchange.identity.oauth;

import java.util.List;
import java.util.Map;

import io.netty.handler.codec.http.QueryStringDecoder;

/** The parameters of one token request, each present at most once (RFC 6749 §3.2). */
public record TokenRequest(Map<String, String> parameters) {

    /**
     * Parses an {@code application/x-www-form-urlencoded} body.
     *
     * @throws OAuthException {@code invalid_request} when a parameter is repeated
     */
    public static TokenRequest parse(String body) {
        Map<String, List<String>> decoded = new QueryStringDecoder(body == null ? "" : body, false).parameters();
        Map<String, String> single = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, List<String>> entry : decoded.entrySet()) {
            if (entry.getValue().size() > 1) {
                throw OAuthException.invalidRequest("Parameter " + entry.getKey() + " is included more than once.");
            }
            single.put(entry.getKey(), entry.getValue().get(0));
        }
        return new TokenRequest(Map.copyOf(single));
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
