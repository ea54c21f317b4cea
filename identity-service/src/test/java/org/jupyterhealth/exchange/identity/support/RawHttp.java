package org.jupyterhealth.exchange.identity.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import io.restassured.RestAssured;

/** Requests sent exactly as written: HTTP clients refuse to send a target they cannot parse themselves. */
public final class RawHttp {
    private RawHttp() {
    }

    /** The whole answer (status line, headers, body) to {@code GET target}. */
    public static String get(String target) {
        String request = "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
