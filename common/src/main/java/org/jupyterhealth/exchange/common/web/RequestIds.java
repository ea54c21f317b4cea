package org.jupyterhealth.exchange.common.web;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** The request id that the gateway generates or propagates, and every service logs. */
public final class RequestIds {
    /** HTTP header carrying the request id, from the client to the gateway and on to every service. */
    public static final String HEADER = "X-Request-Id";
    /** Key of the request id in the logging MDC; log formats print it as {@code %X{requestId}}. */
    public static final String MDC_KEY = "requestId";

    private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {
    }

    /** The caller's id when it is a safe token to log and echo, otherwise a new random one. */
    public static String acceptOrGenerate(String candidate) {
        if (candidate != null && ACCEPTABLE.matcher(candidate).matches()) {
            return candidate;
        }
        return random().toString();
    }

    /**
     * A random (version 4) UUID. A request id correlates log lines and is no secret, so it comes from the thread's
     * own generator rather than {@link UUID#randomUUID()}, whose SecureRandom every request thread would share.
     */
    static UUID random() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }
}
