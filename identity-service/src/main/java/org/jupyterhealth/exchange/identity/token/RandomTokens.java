package org.jupyterhealth.exchange.identity.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The opaque secrets the exchange hands out (refresh tokens, authorization codes, client secrets, the one-time
 * tokens of account e-mails) and the digest under which they are stored. They are long and random, so a fast
 * SHA-256 is enough to store them safely.
 */
public final class RandomTokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
            .toCharArray();

    private RandomTokens() {
    }

    /** 256 random bits, base64url without padding (43 characters). */
    public static String refreshToken() {
        return random256();
    }

    /** The one-time token of an account e-mail (an activation link): 256 random bits, base64url (43 characters). */
    public static String accountToken() {
        return random256();
    }

    /** The value of a sign-in session cookie: 256 random bits, base64url (43 characters). */
    public static String sessionToken() {
        return random256();
    }

    private static String random256() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** {@code length} random letters and digits (30 give 178 bits: the original's authorization-code shape). */
    public static String alphanumeric(int length) {
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            chars[i] = ALPHANUMERIC[RANDOM.nextInt(ALPHANUMERIC.length)];
        }
        return new String(chars);
    }

    /** Lower-case hex SHA-256 of the UTF-8 bytes: how refresh tokens and codes are stored and looked up. */
    public static String sha256Hex(String value) {
        return HexFormat.of().formatHex(sha256(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** base64url (no padding) SHA-256 of the ASCII bytes: the PKCE S256 transform (RFC 7636 §4.2). */
    public static String s256(String verifier) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Constant-time comparison of two strings. */
    public static boolean equalsConstantTime(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
