package org.jupyterhealth.exchange.identity.web;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one reader of {@code application/x-www-form-urlencoded} input in identity-service: the bodies of the token,
 * revocation and introspection endpoints, the authorization request's query and the sign-in form, and the client
 * id and secret inside HTTP Basic credentials (RFC 6749 §2.3.1 form-encodes them too).
 * <p>
 * It refuses what it cannot read instead of guessing: a broken percent escape, bytes that are not UTF-8, and control
 * characters in any name or value. No OAuth parameter may hold a control character (RFC 6749 Appendix A), and
 * PostgreSQL refuses a NUL in text: letting one through would turn a client's mistake into a server error. The
 * only exception is the horizontal tab that Appendix A.16 allows in a password (and in its confirmation on the
 * activation page, where the password policy refuses it in words a person understands).
 */
public final class FormInput {
    /** More than any of our forms has; a body with thousands of parameters is not a request, it is an attack. */
    static final int MAX_PARAMETERS = 100;
    /** A parameter name echoed in an error message: short and plain, so that messages never carry input. */
    private static final Pattern PRINTABLE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Set<String> TAB_ALLOWED = Set.of("password", "password_confirmation");

    private FormInput() {
    }

    /** The input could not be read; the message names the parameter when its name could be read. */
    public static final class MalformedException extends RuntimeException {
        MalformedException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The parameters of a form body or query string, in order, each with all its values; an empty map for null or
     * empty input.
     *
     * @throws MalformedException when a name or value cannot be decoded or holds a control character
     */
    public static Map<String, List<String>> decode(String encoded) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return parameters;
        }
        int count = 0;
        int start = 0;
        while (start <= encoded.length()) {
            int end = encoded.indexOf('&', start);
            if (end < 0) {
                end = encoded.length();
            }
            if (end > start) {
                if (++count > MAX_PARAMETERS) {
                    throw new MalformedException("The request has more than " + MAX_PARAMETERS + " parameters.");
                }
                String pair = encoded.substring(start, end);
                int equals = pair.indexOf('=');
                String rawName = equals < 0 ? pair : pair.substring(0, equals);
                String rawValue = equals < 0 ? "" : pair.substring(equals + 1);
                String name = decodeName(rawName);
                parameters.computeIfAbsent(name, n -> new ArrayList<>(1)).add(decodeComponent(rawValue, name));
            }
            start = end + 1;
        }
        return parameters;
    }

    /**
     * One form-encoded value ({@code +} is a space, {@code %XX} a UTF-8 byte), checked for control characters.
     *
     * @param parameter the parameter's name, for the message
     * @throws MalformedException naming the parameter
     */
    public static String decodeComponent(String encoded, String parameter) {
        String decoded = percentDecode(encoded, parameter);
        boolean tabAllowed = parameter != null && TAB_ALLOWED.contains(parameter);
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (Character.isISOControl(c) && !(tabAllowed && c == '\t')) {
                throw new MalformedException(describe(parameter) + " contains a control character.");
            }
        }
        return decoded;
    }

    private static String decodeName(String rawName) {
        try {
            return decodeComponent(rawName, null);
        } catch (MalformedException e) {
            throw new MalformedException("A parameter name is malformed or contains a control character.");
        }
    }

    private static String percentDecode(String encoded, String parameter) {
        if (encoded.indexOf('%') < 0) {
            return encoded.replace('+', ' ');
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        int i = 0;
        while (i < encoded.length()) {
            char c = encoded.charAt(i);
            if (c == '%') {
                int high = i + 1 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
                int low = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 2), 16) : -1;
                if (high < 0 || low < 0) {
                    throw new MalformedException(describe(parameter) + " is not properly percent-encoded.");
                }
                bytes.write(high << 4 | low);
                i += 3;
            } else {
                int next = encoded.indexOf('%', i);
                String run = encoded.substring(i, next < 0 ? encoded.length() : next).replace('+', ' ');
                bytes.writeBytes(run.getBytes(StandardCharsets.UTF_8));
                i = next < 0 ? encoded.length() : next;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedException(describe(parameter) + " is not valid UTF-8.");
        }
    }

    private static String describe(String parameter) {
        return parameter != null && PRINTABLE_NAME.matcher(parameter).matches() ? parameter : "A parameter";
    }
}
