package org.jupyterhealth.exchange.admin.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP relay to the test mail server that a test turns off and on: off, nothing listens on its port (the mail
 * server is down, connections refused); on, every connection is passed to the real SMTP port.
 */
public final class MailServerSwitch {
    private final int port;
    private ServerSocket server;

    public MailServerSwitch() {
        try (ServerSocket free = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            this.port = free.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public synchronized void on() {
        int target = Integer.parseInt(System.getenv().getOrDefault("JHE_TEST_SMTP_PORT", "19097"));
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServerSocket listening = server;
        daemon(() -> {
            while (!listening.isClosed()) {
                try {
                    Socket client = listening.accept();
                    Socket smtp = new Socket(InetAddress.getLoopbackAddress(), target);
                    pipe(client, smtp);
                    pipe(smtp, client);
                } catch (IOException e) {
                    // closed: switched off
                }
            }
        });
    }

    public synchronized void off() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = null;
        }
    }

    private static void pipe(Socket from, Socket to) {
        daemon(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // the other side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException e) {
                    // already closed
                }
            }
        });
    }

    private static void daemon(Runnable work) {
        Thread thread = new Thread(work, "mail-server-switch");
        thread.setDaemon(true);
        thread.start();
    }
}
