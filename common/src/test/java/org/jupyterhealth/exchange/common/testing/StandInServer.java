package org.jupyterhealth.exchange.common.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The HTTP server under a test's stand-in for another service: bound to a free loopback port, so that tests never
 * collide on a port and nothing outside the machine can reach it, and answering JSON as the services do.
 */
public final class StandInServer {
    private StandInServer() {
    }

    /**
     * A server on a free port of 127.0.0.1, not yet started (its contexts are added first).
     *
     * @param threads how many requests it answers at once; 0 for one at a time, on the server's own thread
     */
    public static HttpServer open(int threads) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        if (threads > 0) {
            server.setExecutor(Executors.newFixedThreadPool(threads));
        }
        return server;
    }

    /** The server's base URL, {@code http://127.0.0.1:port}, without a trailing slash. */
    public static String url(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Stops the server at once, if it was opened. */
    public static void stop(HttpServer server) {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Answers with a JSON body and its length. */
    public static void sendJson(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
