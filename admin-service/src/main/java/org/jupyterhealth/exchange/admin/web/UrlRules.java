package org.jupyterhealth.exchange.admin.web;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The URLs the admin API stores and hands to patients' browsers and apps (a patient app's invitation URL, a
 * study's icon): absolute {@code https} URLs of a public host, so that nobody can plant a {@code javascript:},
 * {@code file:} or {@code data:} link or point a phone at an address inside someone's network. The local run may
 * also allow {@code http://localhost[:port]/...}, by that name only (the demo's patient app listens on
 * {@code http://localhost:8001}): no address literal or other local name, which would widen the exception to
 * whatever else listens there, and no path to a service's {@code /internal} API. Nothing is resolved: only the
 * URL as written is judged (no DNS lookup on the request's thread).
 */
public final class UrlRules {
    private static final String INVALID = "Enter a valid URL.";
    private static final String HTTPS_ONLY = "Only https URLs are allowed.";
    private static final String HTTPS_OR_LOCALHOST = "Only https URLs, or http URLs of localhost, are allowed.";
    private static final String PRIVATE = "URLs of private, loopback or link-local addresses are not allowed.";
    private static final String INTERNAL = "URLs of the services' internal API are not allowed.";
    /** A last label a browser reads as (part of) an IPv4 address: decimal, octal or hexadecimal. */
    private static final Pattern NUMERIC_LABEL = Pattern.compile("[0-9]+|0x[0-9a-f]*");
    private static final Pattern DOTTED_QUAD = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");

    private UrlRules() {
    }

    /**
     * The URL, refused with 400 naming the field unless it is an absolute https URL of a public host (or, when
     * {@code allowLocalHttp}, an http URL of {@code localhost} outside {@code /internal}).
     */
    public static String check(String field, String value, boolean allowLocalHttp) {
        TextRules.check(field, value, false, TextRules.MAX_URL);
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw TextRules.invalid(field, INVALID);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (!uri.isAbsolute() || uri.isOpaque() || host == null || host.isEmpty()) {
            throw TextRules.invalid(field, "https".equals(scheme) || "http".equals(scheme) ? INVALID : HTTPS_ONLY);
        }
        if (uri.getRawUserInfo() != null) {
            throw TextRules.invalid(field, "URLs with a user name or password are not allowed.");
        }
        host = host.toLowerCase(Locale.ROOT);
        if ("http".equals(scheme) && allowLocalHttp && "localhost".equals(host)) {
            if (isInternalPath(uri.getPath())) {
                throw TextRules.invalid(field, INTERNAL);
            }
            return value;
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        boolean local = isThisMachine(host);
        if (!"https".equals(scheme)) {
            throw TextRules.invalid(field, "http".equals(scheme) && allowLocalHttp ? HTTPS_OR_LOCALHOST : HTTPS_ONLY);
        }
        if (local || !isPublic(field, host)) {
            throw TextRules.invalid(field, PRIVATE);
        }
        return value;
    }

    /**
     * Whether a path, as a server reads it (percent-decoded, dot segments resolved, empty segments and matrix
     * parameters ignored), leads to a service's {@code /internal} API.
     */
    private static boolean isInternalPath(String path) {
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : (path == null ? "" : path).split("/")) {
            int matrix = segment.indexOf(';');
            String name = matrix < 0 ? segment : segment.substring(0, matrix);
            if (name.equals("..")) {
                segments.pollLast();
            } else if (!name.isEmpty() && !name.equals(".")) {
                segments.addLast(name);
            }
        }
        return !segments.isEmpty() && segments.peekFirst().equalsIgnoreCase("internal");
    }

    private static boolean isThisMachine(String host) {
        return host.equals("localhost") || host.endsWith(".localhost") || host.equals("127.0.0.1")
                || host.equals("[::1]");
    }

    /** False for an address literal that is not a public unicast address; names are taken as public. */
    private static boolean isPublic(String field, String host) {
        InetAddress address;
        try {
            if (host.startsWith("[")) {
                // an IPv6 literal, already checked by URI's parser: no lookup happens for a literal
                address = InetAddress.getByName(host);
            } else {
                String last = host.substring(host.lastIndexOf('.') + 1);
                if (!NUMERIC_LABEL.matcher(last).matches()) {
                    return true;
                }
                // browsers read 2130706433, 0x7f.1 or 0177.0.0.1 as 127.0.0.1: only plain dotted quads are judged
                if (!DOTTED_QUAD.matcher(host).matches()) {
                    throw TextRules.invalid(field, INVALID);
                }
                String[] parts = host.split("\\.");
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(parts[i]);
                    if (octet > 255) {
                        throw TextRules.invalid(field, INVALID);
                    }
                    bytes[i] = (byte) octet;
                }
                address = InetAddress.getByAddress(bytes);
            }
        } catch (UnknownHostException e) {
            throw TextRules.invalid(field, INVALID);
        }
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address v6) {
            // unique local fc00::/7, and IPv4-compatible ::a.b.c.d (which reach the embedded IPv4 address)
            return (b[0] & 0xfe) != 0xfc && !v6.isIPv4CompatibleAddress();
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        // "this network" 0/8, carrier-grade NAT 100.64/10, IETF protocol assignments 192.0.0/24, broadcast
        return first != 0 && !(first == 100 && second >= 64 && second < 128)
                && !(first == 192 && second == 0 && (b[2] & 0xff) == 0) && first != 255;
    }
}
