package org.jupyterhealth.exchange.benchmarks;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jupyterhealth.exchange.common.web.HttpWire;

/**
 * One persistent HTTP/1.1 connection, used by one thread at a time: a blocking request and its whole answer. The
 * load generators run on the same two cores as the system they measure, so they must cost as little as possible:
 * this costs a fraction of the JDK {@code HttpClient}'s CPU per request (no selector thread, no hand-offs
 * between threads), which leaves that CPU to the services. Plain HTTP to the gateway only; a connection the server
 * closes is opened again for the next request.
 */
final class HttpConnection implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 60_000;

    private final String host;
    private final int port;
    private final String hostHeader;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    HttpConnection(URI base) {
        this.host = base.getHost();
        this.port = base.getPort() > 0 ? base.getPort() : 80;
        this.hostHeader = host + ":" + port;
    }

    Exchange.Response send(String method, String pathAndQuery, Map<String, String> headers, byte[] body) throws IOException {
        boolean fresh = socket == null;
        try {
            return exchange(method, pathAndQuery, headers, body);
        } catch (IOException e) {
            close();
            if (fresh) {
                throw e;
            }
            // the server closed an idle keep-alive connection: once more on a new one
            return exchange(method, pathAndQuery, headers, body);
        }
    }

    private Exchange.Response exchange(String method, String pathAndQuery, Map<String, String> headers, byte[] body)
            throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            in = new BufferedInputStream(socket.getInputStream(), 65_536);
            out = new BufferedOutputStream(socket.getOutputStream(), 65_536);
        }
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(pathAndQuery)
                .append(" HTTP/1.1\r\nHost: ").append(hostHeader).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            out.write(body);
        }
        out.flush();
        return read();
    }

    private Exchange.Response read() throws IOException {
        int code = HttpWire.status(HttpWire.line(in));
        Map<String, String> headers = new LinkedHashMap<>();
        HttpWire.headers(in).forEach((name, values) -> headers.put(name, values.get(values.size() - 1)));
        byte[] body;
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = HttpWire.chunkedBody(in);
        } else {
            body = HttpWire.exactly(in, Integer.parseInt(headers.getOrDefault("content-length", "0")));
        }
        if ("close".equalsIgnoreCase(headers.get("connection"))) {
            close();
        }
        return new Exchange.Response(code, headers, new String(body, StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        socket = null;
        in = null;
        out = null;
    }
}
