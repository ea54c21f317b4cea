package org.jupyterhealth.exchange.identity.code;

import java.util.regex.Pattern;

import org.jupyterhealth.exchange.identity.token.RandomTokens;

/**
 * Proof Key for Code Exchange (RFC 7636), S256 only: {@code plain} is refused for every client
 * (docs/compatibility.md#grants).
 */
public final class Pkce {
    public static final String S256 = "S256";
    /** RFC 7636 §4.1: 43 to 128 unreserved characters. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");
    /** RFC 7636 §4.2: base64url of a SHA-256, 43 characters. */
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private Pkce() {
    }

    public static boolean isVerifier(String verifier) {
        return verifier != null && VERIFIER.matcher(verifier).matches();
    }

    public static boolean isChallenge(String challenge) {
        return challenge != null && CHALLENGE.matcher(challenge).matches();
    }

    /** RFC 7636 §4.6: BASE64URL(SHA256(ASCII(verifier))) equals the challenge, compared in constant time. */
    public static boolean verifies(String verifier, String challenge) {
        return isVerifier(verifier) && RandomTokens.equalsConstantTime(RandomTokens.s256(verifier), challenge);
    }
}
