package org.jupyterhealth.exchange.identity.web;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * The address of the client behind a request. The gateway appends the address it saw to {@code X-Forwarded-For},
 * so the last entry is the one a client cannot forge; without the header, the TCP peer.
 */
public final class ClientAddress {
    private ClientAddress() {
    }

    public static String of(HttpServerRequest request) {
        String forwarded = request.getHeader("X-Forwarded-For");
        if (forwarded != null && !forwarded.isBlank()) {
            String[] hops = forwarded.split(",");
            String last = hops[hops.length - 1].trim();
            if (!last.isEmpty() && last.length() <= 64) {
                return last;
            }
        }
        SocketAddress peer = request.connection() != null ? request.connection().remoteAddress()
                : request.remoteAddress();
        return peer == null ? "unknown" : peer.hostAddress();
    }
}
