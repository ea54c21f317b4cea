package org.jupyterhealth.exchange.identity.login;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jupyterhealth.exchange.identity.client.OAuthClient;

/**
 * A validated authorization request (RFC 6749 §4.1.1 with RFC 7636 §4.3): the client, where to send the answer,
 * and what was asked. The login form carries these parameters back in hidden fields, so no state is kept between
 * showing the page and signing in. {@code prompt} is not carried: it decides how the page is shown, and the form's
 * answer is the sign-in it asked for.
 */
public record AuthorizationRequest(OAuthClient client, String redirectUri, boolean redirectUriGiven, String scope,
        String state, String codeChallenge, String nonce, Set<String> prompt) {

    /** The {@code prompt} values understood (OpenID Connect Core §3.1.2.1). */
    public static final Set<String> PROMPTS = Set.of("none", "login", "consent", "select_account");

    /** The parameters that the login form repeats. */
    public static final List<String> PARAMETERS = List.of("response_type", "client_id", "redirect_uri", "scope",
            "state", "code_challenge", "code_challenge_method", "nonce");

    /** Whether the client asked for the given {@code prompt} value. */
    public boolean prompts(String value) {
        return prompt.contains(value);
    }

    /** The hidden fields of the login form, in a stable order. */
    public Map<String, String> hiddenFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("response_type", "code");
        fields.put("client_id", client.clientId());
        if (redirectUriGiven) {
            fields.put("redirect_uri", redirectUri);
        }
        fields.put("scope", scope);
        if (state != null) {
            fields.put("state", state);
        }
        fields.put("code_challenge", codeChallenge);
        fields.put("code_challenge_method", "S256");
        if (nonce != null) {
            fields.put("nonce", nonce);
        }
        return fields;
    }
}
