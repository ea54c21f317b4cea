package org.jupyterhealth.exchange.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP relay between the services of a stack and PostgreSQL, so that fault tests can make the database
 * unreachable without touching the server, which other stacks and programs share: stopping the relay drops every
 * open connection at once and refuses new ones, as a database that crashed or a network that broke would;
 * starting it again lets the services reconnect. Bytes pass through unchanged; each connection costs two threads
 * (a handful of pooled connections per service).
 */
final class DatabaseRelay {
    private static final int CONNECT_MILLIS = 5_000;

    private DatabaseRelay() {
    }

    /** Listens on 127.0.0.1:{@code port}, relaying each connection to {@code host}:{@code targetPort}, until killed. */
    static void run(int port, String host, int targetPort) throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress("127.0.0.1", port), 256);
            System.out.println("database relay listening on 127.0.0.1:" + port + ", relaying to " + host + ":"
                    + targetPort);
            while (true) {
                Socket client = server.accept();
                Thread connection = new Thread(() -> relay(client, host, targetPort), "relay-" + client.getPort());
                connection.setDaemon(true);
                connection.start();
            }
        }
    }

    private static void relay(Socket client, String host, int targetPort) {
        Socket upstream = new Socket();
        try {
            upstream.connect(new InetSocketAddress(host, targetPort), CONNECT_MILLIS);
            // PostgreSQL's messages are small and answered one by one: no Nagle delay on either side
            upstream.setTcpNoDelay(true);
            client.setTcpNoDelay(true);
        } catch (IOException e) {
            close(client, upstream);
            return;
        }
        Thread answers = new Thread(() -> pipe(upstream, client), "relay-back-" + client.getPort());
        answers.setDaemon(true);
        answers.start();
        pipe(client, upstream);
    }

    /** Copies until either side closes or fails, then closes both (the other direction ends with it). */
    private static void pipe(Socket from, Socket to) {
        byte[] buffer = new byte[65_536];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                out.write(buffer, 0, read);
            }
        } catch (IOException e) {
            // a connection dropped: both ends are closed below
        } finally {
            close(from, to);
        }
    }

    private static void close(Socket... sockets) {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
