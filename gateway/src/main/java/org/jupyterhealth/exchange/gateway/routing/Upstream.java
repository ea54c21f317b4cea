package org.jupyterhealth.exchange.gateway.routing;

import java.net.URI;

import io.vertx.core.net.SocketAddress;

/** A service the gateway forwards to: its name (for logs) and where it listens. */
record Upstream(String name, SocketAddress address) {

    static Upstream of(String name, String baseUrl) {
        URI uri = URI.create(baseUrl);
        int port = uri.getPort() > 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
        return new Upstream(name, SocketAddress.inetSocketAddress(port, uri.getHost()));
    }
}
