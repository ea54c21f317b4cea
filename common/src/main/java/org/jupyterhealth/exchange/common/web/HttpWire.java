package org.jupyterhealth.exchange.common.web;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads an HTTP/1.1 answer off a blocking stream byte by byte (RFC 9112): the status line, the header fields, and a
 * body of a known length or in chunks. For the clients that speak HTTP over a plain socket rather than through an
 * HTTP library: the load generators, which must leave the CPU to the services they measure, and the system tests'
 * probes, which send bytes the usual clients refuse to send. Lines end with CRLF, or a bare LF as RFC 9112 section 2.2
 * lets a recipient accept.
 */
public final class HttpWire {
    private HttpWire() {
    }

    /** The status code of a status line ({@code HTTP/1.1 200 OK}). */
    public static int status(String statusLine) throws IOException {
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
            throw new IOException("not an HTTP answer: " + statusLine);
        }
        try {
            return Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: " + statusLine);
        }
    }

    /** The header fields up to the empty line that ends them: names in lower case, values trimmed, in order. */
    public static Map<String, List<String>> headers(InputStream in) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        name -> new ArrayList<>(1)).add(line.substring(colon + 1).trim());
            }
        }
        return headers;
    }

    /** The first value of a header field (its name in lower case), or null. */
    public static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** A body sent in chunks (RFC 9112 section 7.1), its trailer fields read and dropped. */
    public static byte[] chunkedBody(InputStream in) throws IOException {
        ByteArrayOutputStream chunks = new ByteArrayOutputStream(8_192);
        for (int size = chunkSize(in); size > 0; size = chunkSize(in)) {
            chunks.writeBytes(exactly(in, size));
            line(in);
        }
        for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
            // trailer fields are not used
        }
        return chunks.toByteArray();
    }

    /** Exactly {@code size} bytes, or an {@link EOFException} when the connection ends before. */
    public static byte[] exactly(InputStream in, int size) throws IOException {
        byte[] bytes = in.readNBytes(size);
        if (bytes.length < size) {
            throw new EOFException("the answer ended after " + bytes.length + " of " + size + " bytes");
        }
        return bytes;
    }

    /** One line, without its line ending; an {@link EOFException} when the connection ends first. */
    public static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the connection closed");
            }
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
        }
    }

    private static int chunkSize(InputStream in) throws IOException {
        String line = line(in);
        int extension = line.indexOf(';');
        return Integer.parseInt((extension >= 0 ? line.substring(0, extension) : line).trim(), 16);
    }
}
