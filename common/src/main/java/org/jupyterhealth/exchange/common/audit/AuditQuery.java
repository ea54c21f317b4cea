package org.jupyterhealth.exchange.common.audit;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * A search's query string as an audit event records it: every parameter as given, except those whose name could
 * carry a credential ({@code access_token}, {@code client_secret}, {@code password}, {@code code_verifier}...),
 * without control characters, and at most {@link AuditEvent#MAX_QUERY} characters. A query string is where a
 * careless client puts its token; the event must never hold one.
 */
public final class AuditQuery {
    private AuditQuery() {
    }

    /** The recordable part of a raw (still encoded) query string; null for none. */
    public static String of(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return null;
        }
        StringJoiner kept = new StringJoiner("&");
        for (String parameter : rawQuery.split("&")) {
            if (parameter.isEmpty()) {
                continue;
            }
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            if (!secret(decode(name))) {
                kept.add(parameter);
            }
        }
        String query = strip(kept.toString());
        if (query.isEmpty()) {
            return null;
        }
        return query.length() > AuditEvent.MAX_QUERY ? query.substring(0, AuditEvent.MAX_QUERY) : query;
    }

    /** Whether a parameter of this name may hold a credential. */
    static boolean secret(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.contains("token") || lower.contains("secret") || lower.contains("password")
                || lower.contains("verifier") || lower.contains("assertion") || lower.equals("key")
                || lower.equals("api_key") || lower.equals("apikey");
    }

    static boolean hasControl(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static String strip(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.chars().filter(c -> !Character.isISOControl(c)).forEach(c -> out.append((char) c));
        return out.toString();
    }

    private static String decode(String name) {
        try {
            return URLDecoder.decode(name, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return name;
        }
    }
}
