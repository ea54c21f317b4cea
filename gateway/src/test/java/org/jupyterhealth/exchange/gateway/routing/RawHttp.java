package org.jupyterhealth.exchange.gateway.routing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/** Writes HTTP/1.1 by hand, to send what ordinary clients will not: huge declared lengths, endless chunks. */
final class RawHttp {
    private RawHttp() {
    }

    /** Sends {@code head} then, if given, {@code chunks} chunks of {@code chunkSize} bytes; returns the raw answer. */
    static String exchange(int port, String head, int chunks, int chunkSize) throws IOException {
        return exchange(new Socket("127.0.0.1", port), head, chunks, chunkSize);
    }

    /**
     * Sends {@code head} from a loopback address of the caller's choosing (any of 127.0.0.0/8), so that one test
     * can play several clients, as the gateway tells them apart by address.
     */
    static String exchangeFrom(String clientAddress, int port, String head) throws IOException {
        return exchange(new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(clientAddress), 0),
                head, 0, 0);
    }

    private static String exchange(Socket connected, String head, int chunks, int chunkSize) throws IOException {
        try (Socket socket = connected) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] chunk = new byte[chunkSize];
            try {
                for (int i = 0; i < chunks; i++) {
                    out.write((Integer.toHexString(chunkSize) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                if (chunks > 0) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            } catch (SocketException closedEarly) {
                // the gateway answered and closed before the whole body was sent: read what it said
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0;) {
                    response.write(buffer, 0, n);
                    String text = response.toString(StandardCharsets.UTF_8);
                    int headerEnd = text.indexOf("\r\n\r\n");
                    if (headerEnd > 0 && text.toLowerCase().contains("content-length:")) {
                        int length = Integer.parseInt(text.toLowerCase().split("content-length:")[1].split("\r\n")[0].trim());
                        if (text.getBytes(StandardCharsets.UTF_8).length >= headerEnd + 4 + length) {
                            break;
                        }
                    }
                }
            } catch (SocketException reset) {
                // connection closed by the gateway after its answer
            }
            return response.toString(StandardCharsets.UTF_8);
        }
    }
}
