package org.jupyterhealth.exchange.systemtests;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jupyterhealth.exchange.common.web.HttpWire;

/**
 * A byte-exact HTTP/1.1 client for the bad-input probes: it sends exactly the request line, headers and body bytes
 * it is given (invalid UTF-8, a body larger than the gateway accepts, a chunked body), which the usual clients
 * refuse to send or quietly repair. A server that answers before it has read the whole body (a 413) is heard: the
 * answer is read even when writing the rest of the body fails. One keep-alive connection per thread.
 */
final class ProbeClient {
    private static final int CONNECT_MILLIS = 5_000;

    /** What came back: the status (0 when nothing came back), headers (names in lower case), body, or the failure. */
    record Answer(int status, Map<String, List<String>> headers, byte[] body, long millis, String failure) {

        String header(String name) {
            return HttpWire.first(headers, name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final String host;
    private final int port;
    private final int readTimeoutMillis;
    private final ThreadLocal<Connection> connections = new ThreadLocal<>();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();

    ProbeClient(String host, int port, int readTimeoutMillis) {
        this.host = host;
        this.port = port;
        this.readTimeoutMillis = readTimeoutMillis;
    }

    /**
     * Sends one request. {@code target} is the request target as it goes on the wire (already percent-encoded);
     * headers are sent in the given order (a {@code Host} header is added unless given); the body goes with a
     * {@code Content-Length}, or in chunks of 64 KiB when {@code chunked}.
     */
    Answer send(String method, String target, Map<String, String> headers, byte[] body, boolean chunked) {
        long started = System.nanoTime();
        Connection reused = connections.get();
        boolean close = body != null && body.length > 1_000_000;
        if (reused != null) {
            Answer answer = reused.exchange(method, target, headers, body, chunked, close, started);
            if (answer.status() > 0 || reused.heardAnything) {
                keepOrDrop(reused, answer);
                return answer;
            }
            // a keep-alive connection the server had already closed: the request never reached it
            reused.close();
        }
        Connection fresh;
        try {
            fresh = new Connection();
        } catch (IOException e) {
            return failed("cannot connect: " + e.getMessage(), started);
        }
        Answer answer = fresh.exchange(method, target, headers, body, chunked, close, started);
        keepOrDrop(fresh, answer);
        return answer;
    }

    private void keepOrDrop(Connection connection, Answer answer) {
        String connectionHeader = answer.header("connection");
        if (answer.failure() != null || connection.mustClose
                || (connectionHeader != null && connectionHeader.equalsIgnoreCase("close"))) {
            connection.close();
            connections.remove();
        } else {
            connections.set(connection);
        }
    }

    /** Closes every connection still open (the threads that used them may be gone). */
    void closeAll() {
        open.forEach(Connection::close);
    }

    private static Answer failed(String failure, long started) {
        return new Answer(0, Map.of(), new byte[0], (System.nanoTime() - started) / 1_000_000, failure);
    }

    private final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        boolean heardAnything;
        boolean mustClose;

        Connection() throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), CONNECT_MILLIS);
            socket.setSoTimeout(readTimeoutMillis);
            in = new BufferedInputStream(socket.getInputStream(), 65_536);
            out = socket.getOutputStream();
            open.add(this);
        }

        Answer exchange(String method, String target, Map<String, String> headers, byte[] body, boolean chunked,
                boolean close, long started) {
            heardAnything = false;
            mustClose = close;
            String writeFailure = null;
            try {
                write(method, target, headers, body, chunked, close);
            } catch (IOException e) {
                // the server may have answered (413) and stopped reading: its answer is still worth reading
                writeFailure = e.getMessage();
                mustClose = true;
            }
            try {
                return read(started, method);
            } catch (SocketTimeoutException e) {
                mustClose = true;
                return failed("no answer within " + readTimeoutMillis / 1000 + " s", started);
            } catch (IOException | RuntimeException e) {
                mustClose = true;
                String what = writeFailure != null ? "connection failed while sending the body (" + writeFailure
                        + ") and no answer came: " + e.getMessage() : "no complete answer: " + e.getMessage();
                return failed(what, started);
            }
        }

        private void write(String method, String target, Map<String, String> headers, byte[] body, boolean chunked,
                boolean close) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream(512);
            head.writeBytes((method + " " + target + " HTTP/1.1\r\n").getBytes(StandardCharsets.ISO_8859_1));
            boolean hasHost = headers.keySet().stream().anyMatch(name -> name.equalsIgnoreCase("host"));
            if (!hasHost) {
                head.writeBytes(("Host: localhost:" + port + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
            for (Map.Entry<String, String> header : headers.entrySet()) {
                // ISO-8859-1: a header value is sent byte for byte as written
                head.writeBytes((header.getKey() + ": " + header.getValue() + "\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
            }
            if (body != null) {
                head.writeBytes((chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.length + "\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
            }
            if (close) {
                head.writeBytes("Connection: close\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            head.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.write(head.toByteArray());
            if (body != null && !chunked) {
                for (int at = 0; at < body.length; at += 65_536) {
                    out.write(body, at, Math.min(65_536, body.length - at));
                }
            } else if (body != null) {
                for (int at = 0; at < body.length; at += 65_536) {
                    int size = Math.min(65_536, body.length - at);
                    out.write((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body, at, size);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.flush();
        }

        private Answer read(long started, String method) throws IOException {
            String status = HttpWire.line(in);
            heardAnything = true;
            int code = HttpWire.status(status);
            Map<String, List<String>> headers = HttpWire.headers(in);
            if (code == 100) {
                return read(started, method);
            }
            byte[] body;
            String encoding = HttpWire.first(headers, "transfer-encoding");
            String length = HttpWire.first(headers, "content-length");
            if ("HEAD".equals(method) || code == 204 || code == 304) {
                body = new byte[0];
            } else if (encoding != null && encoding.equalsIgnoreCase("chunked")) {
                body = HttpWire.chunkedBody(in);
            } else if (length != null) {
                body = HttpWire.exactly(in, Integer.parseInt(length.trim()));
            } else {
                // neither length nor chunks: the body runs until the server closes the connection
                body = in.readAllBytes();
                mustClose = true;
            }
            return new Answer(code, headers, body, (System.nanoTime() - started) / 1_000_000, null);
        }

        void close() {
            open.remove(this);
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
