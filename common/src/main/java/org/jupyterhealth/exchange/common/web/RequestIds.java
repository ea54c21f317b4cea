package org.jupyterhealth.exchange.common.web;

import java.util.UUID;
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
        return UUID.randomUUID().toString();
    }
}
