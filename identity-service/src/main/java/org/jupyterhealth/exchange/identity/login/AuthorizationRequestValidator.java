package org.jupyterhealth.exchange.identity.login;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jupyterhealth.exchange.identity.client.OAuthClient;
import org.jupyterhealth.exchange.identity.client.OAuthClientRepository;
import org.jupyterhealth.exchange.identity.code.Pkce;
import org.jupyterhealth.exchange.identity.oauth.OAuthException;
import org.jupyterhealth.exchange.identity.oauth.Scopes;

import io.smallrye.mutiny.Uni;

/**
 * Validates an authorization request in the order RFC 6749 §4.1.2.1 requires: until the client and its redirect
 * URI are known to be good, a problem is shown on an error page and never redirected (no open redirect); after
 * that, problems are sent back to the client's redirect URI with {@code error} and {@code state}.
 */
@ApplicationScoped
public class AuthorizationRequestValidator {
    static final int MAX_STATE = 2000;

    /** The outcome: a valid request, a redirect carrying an error, or an error page. */
    public sealed interface Outcome {
    }

    public record Valid(AuthorizationRequest request) implements Outcome {
    }

    /** An error sent to the client (RFC 6749 §4.1.2.1). */
    public record ErrorRedirect(String location) implements Outcome {
    }

    /** An error shown to the person (the client or its redirect URI cannot be trusted). */
    public record ErrorPage(int status, String message) implements Outcome {
    }

    private final OAuthClientRepository clients;

    public AuthorizationRequestValidator(OAuthClientRepository clients) {
        this.clients = clients;
    }

    public Uni<Outcome> validate(Map<String, List<String>> parameters) {
        if (repeated(parameters, "client_id") || repeated(parameters, "redirect_uri")) {
            return page(400, "The request repeats client_id or redirect_uri.");
        }
        String clientId = single(parameters, "client_id");
        if (clientId == null) {
            return page(400, "The request names no client (client_id is missing).");
        }
        return clients.findByClientId(clientId).map(client -> {
            if (client == null || client.service()) {
                return new ErrorPage(400, "The application asking you to sign in is not known here.");
            }
            String given = single(parameters, "redirect_uri");
            String redirectUri;
            if (given != null) {
                if (!client.hasRedirectUri(given)) {
                    return new ErrorPage(400, "The application's redirect address is not registered.");
                }
                redirectUri = given;
            } else {
                List<String> registered = client.redirectUriList();
                if (registered.size() != 1) {
                    return new ErrorPage(400, "The request names no redirect address (redirect_uri is missing).");
                }
                redirectUri = registered.get(0);
            }
            String state = single(parameters, "state");
            if (state != null && state.length() > MAX_STATE) {
                state = null;
            }
            return check(parameters, client, redirectUri, given != null, state);
        });
    }

    private static Outcome check(Map<String, List<String>> parameters, OAuthClient client, String redirectUri,
            boolean redirectUriGiven, String state) {
        for (Map.Entry<String, List<String>> entry : parameters.entrySet()) {
            if (entry.getValue().size() > 1) {
                return error(redirectUri, state, "invalid_request",
                        "Parameter " + entry.getKey() + " is included more than once.");
            }
        }
        String responseType = single(parameters, "response_type");
        if (responseType == null) {
            return error(redirectUri, state, "invalid_request", "Missing response_type parameter.");
        }
        if (!"code".equals(responseType)) {
            return error(redirectUri, state, "unsupported_response_type", "Only response_type=code is supported.");
        }
        if (!client.allowsGrant("authorization_code")) {
            return error(redirectUri, state, "unauthorized_client",
                    "The client is not allowed the authorization_code grant.");
        }
        // RFC 7636 §4.4.1: PKCE is required for every client, S256 only (docs/compatibility.md#grants)
        String challenge = single(parameters, "code_challenge");
        if (challenge == null) {
            return error(redirectUri, state, "invalid_request", "code_challenge required.");
        }
        if (!Pkce.S256.equals(single(parameters, "code_challenge_method"))) {
            return error(redirectUri, state, "invalid_request",
                    "Transform algorithm not supported: code_challenge_method must be S256.");
        }
        if (!Pkce.isChallenge(challenge)) {
            return error(redirectUri, state, "invalid_request", "Malformed code_challenge.");
        }
        String scope;
        try {
            scope = Scopes.grant(single(parameters, "scope"));
        } catch (OAuthException e) {
            return error(redirectUri, state, "invalid_scope", e.getMessage());
        }
        String nonce = single(parameters, "nonce");
        if (nonce != null && nonce.length() > 255) {
            return error(redirectUri, state, "invalid_request", "The nonce is too long.");
        }
        Set<String> prompt = prompt(single(parameters, "prompt"));
        if (prompt == null) {
            return error(redirectUri, state, "invalid_request",
                    "prompt must be none, or any of login, consent and select_account.");
        }
        return new Valid(new AuthorizationRequest(client, redirectUri, redirectUriGiven, scope, state, challenge,
                nonce, prompt));
    }

    /** The {@code prompt} values, or null when one is unknown or {@code none} comes with another (OIDC §3.1.2.1). */
    private static Set<String> prompt(String value) {
        if (value == null) {
            return Set.of();
        }
        Set<String> values = new HashSet<>(List.of(value.trim().split(" +")));
        if (!AuthorizationRequest.PROMPTS.containsAll(values) || values.contains("none") && values.size() > 1) {
            return null;
        }
        return Set.copyOf(values);
    }

    /** {@code redirectUri} with the given query parameters added (RFC 6749 §4.1.2, §3.1.2: keep its query). */
    public static String redirect(String redirectUri, Map<String, String> parameters) {
        StringBuilder location = new StringBuilder(redirectUri);
        char separator = redirectUri.contains("?") ? '&' : '?';
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            if (parameter.getValue() == null) {
                continue;
            }
            location.append(separator).append(parameter.getKey()).append('=')
                    .append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        return location.toString();
    }

    static ErrorRedirect error(String redirectUri, String state, String error, String description) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("error", error);
        parameters.put("error_description", description);
        parameters.put("state", state);
        return new ErrorRedirect(redirect(redirectUri, parameters));
    }

    private static Uni<Outcome> page(int status, String message) {
        return Uni.createFrom().item(new ErrorPage(status, message));
    }

    private static boolean repeated(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        return values != null && values.size() > 1;
    }

    /** The single value, or null when absent or empty (RFC 6749 §3.1). */
    static String single(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        if (values == null || values.isEmpty() || values.get(0) == null || values.get(0).isEmpty()) {
            return null;
        }
        return values.get(0);
    }
}
