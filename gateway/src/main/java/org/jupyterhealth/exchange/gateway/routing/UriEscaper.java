package org.jupyterhealth.exchange.gateway.routing;

import java.nio.charset.StandardCharsets;

/**
 * Percent-encodes the characters of a request path or query that RFC 3986 does not allow there ({@code |},
 * {@code {}}, {@code ^}, spaces, non-ASCII...), leaving reserved characters and existing escapes as they are, so
 * that what reaches a service is a valid URI with the same meaning.
 */
final class UriEscaper {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UriEscaper() {
    }

    static String escape(String raw) {
        if (raw == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (allowed(c)) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(raw.length() + 16).append(raw, 0, i);
            }
            int end = Character.isHighSurrogate(c) && i + 1 < raw.length() ? i + 2 : i + 1;
            for (byte b : raw.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
            i = end - 1;
        }
        return out == null ? raw : out.toString();
    }

    /**
     * True when a {@code %} of the request target is not followed by two hexadecimal digits (RFC 3986 §2.1): no
     * service could decode it.
     */
    static boolean hasMalformedEscape(String raw) {
        if (raw == null) {
            return false;
        }
        for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1)) {
            if (i + 2 >= raw.length() || !isHex(raw.charAt(i + 1)) || !isHex(raw.charAt(i + 2))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** Unreserved, reserved (gen-delims and sub-delims) and {@code %}: RFC 3986 §2. */
    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~:/?#[]@!$&'()*+,;=%".indexOf(c) >= 0;
    }
}
