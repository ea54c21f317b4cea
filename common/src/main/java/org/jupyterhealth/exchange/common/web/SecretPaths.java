package org.jupyterhealth.exchange.common.web;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The one rule for request paths that carry a credential: the token of {@code POST /api/v1/invitation/{token}}
 * redeems a patient's invitation, so whoever reads it in a log line or a metric label could take over the account
 * within the redemption window. {@link #redact(String)} replaces such a segment by {@code {token}}; every log line
 * and metric that names a request path goes through it.
 *
 * <p>The segment is recognised however a server could still route it to the redemption: whatever the case of
 * {@code invitation}, with percent-encoded characters, {@code ;}-parameters, doubled slashes or dot segments. So
 * every segment after an {@code invitation} segment is replaced, except the invitations' numeric ids
 * ({@code GET /api/v1/invitation/{id}}), which are no secret.
 */
public final class SecretPaths {
    /** What a secret segment is replaced by. */
    public static final String REDACTED = "{token}";

    /** Path segments whose next segment is a credential. */
    private static final String INVITATION = "invitation";

    private SecretPaths() {
    }

    /** The path with every credential segment replaced by {@link #REDACTED}; null stays null. */
    public static String redact(String path) {
        if (path == null || !mayHoldSecret(path)) {
            return path;
        }
        String[] segments = path.split("/", -1);
        boolean afterInvitation = false;
        boolean changed = false;
        for (int i = 0; i < segments.length; i++) {
            String name = name(segments[i]);
            if (afterInvitation && !isId(name) && !name.isEmpty() && !name.equals(".") && !name.equals("..")) {
                segments[i] = REDACTED;
                changed = true;
            }
            afterInvitation |= INVITATION.equals(name);
        }
        return changed ? String.join("/", segments) : path;
    }

    /**
     * A cheap test that lets almost every path through untouched: it runs for every request the gateway logs. Any
     * path with an escape is examined, since an escaped letter spells the same segment.
     */
    private static boolean mayHoldSecret(String path) {
        if (path.indexOf('%') >= 0) {
            return true;
        }
        int last = path.length() - INVITATION.length();
        for (int i = 0; i <= last; i++) {
            if (path.regionMatches(true, i, INVITATION, 0, INVITATION.length())) {
                return true;
            }
        }
        return false;
    }

    /** A segment as a router compares it: escapes decoded, {@code ;}-parameters dropped, in lower case. */
    private static String name(String segment) {
        String decoded = segment.indexOf('%') >= 0 ? decode(segment) : segment;
        int parameters = decoded.indexOf(';');
        return (parameters >= 0 ? decoded.substring(0, parameters) : decoded).toLowerCase(Locale.ROOT);
    }

    private static boolean isId(String name) {
        if (name.isEmpty() || name.length() > 18) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Percent-decoding that never fails: a malformed escape is kept as it is. */
    private static String decode(String segment) {
        byte[] out = new byte[segment.length()];
        int n = 0;
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            int high = i + 2 < segment.length() ? Character.digit(segment.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(segment.charAt(i + 2), 16) : -1;
            if (c == '%' && low >= 0) {
                out[n++] = (byte) (high * 16 + low);
                i += 2;
            } else if (c < 0x80) {
                out[n++] = (byte) c;
            } else {
                // not ASCII: it cannot spell "invitation" or an id, so any byte keeps it apart from both
                out[n++] = (byte) '?';
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
