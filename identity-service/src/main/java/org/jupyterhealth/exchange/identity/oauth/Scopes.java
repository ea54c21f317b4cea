package org.jupyterhealth.exchange.identity.oauth;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The scopes the exchange knows (docs/compatibility.md#tokens) and the validation of a requested scope. */
public final class Scopes {
    public static final List<String> SUPPORTED = List.of("openid", "email", "profile", "read", "write",
            "offline_access");
    /** Granted when a request names no scope. */
    public static final String DEFAULT = "openid email read write";

    private Scopes() {
    }

    /**
     * The scope to grant for a requested scope string (RFC 6749 §3.3). The service scope {@code internal} is not
     * among them: only service clients get it, and they ask for nothing else.
     *
     * @throws OAuthException {@code invalid_scope} naming the first unknown scope
     */
    public static String grant(String requested) {
        if (requested == null || requested.isBlank()) {
            return DEFAULT;
        }
        Set<String> scopes = parse(requested);
        for (String scope : scopes) {
            if (!SUPPORTED.contains(scope)) {
                // named only when short: the description travels back in a redirect's Location header
                throw OAuthException.invalidScope(scope.length() <= 64 ? "Unknown scope: " + scope + "."
                        : "Unknown scope.");
            }
        }
        return String.join(" ", scopes);
    }

    static Set<String> parse(String scope) {
        return new LinkedHashSet<>(Arrays.asList(scope.trim().split("\\s+")));
    }
}
