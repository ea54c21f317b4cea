package org.jupyterhealth.exchange.gateway.routing;

import java.net.URI;

import io.vertx.core.net.SocketAddress;

/**
 * A service the gateway forwards to: its name (for logs and metrics), the name clients read in an error about it
 * (what it does, not how the exchange is cut into services), and where it listens.
 */
record Upstream(String name, String publicName, SocketAddress address) {

    static Upstream of(String name, String publicName, String baseUrl) {
        URI uri = URI.create(baseUrl);
        int port = uri.getPort() > 0 ? uri.getPort() : ("https".equals(uri.getScheme()) ? 443 : 80);
        return new Upstream(name, publicName, SocketAddress.inetSocketAddress(port, uri.getHost()));
    }
}
