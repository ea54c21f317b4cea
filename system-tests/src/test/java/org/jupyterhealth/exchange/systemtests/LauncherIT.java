package org.jupyterhealth.exchange.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ./jhe down} after {@code ./jhe up --detach} leaves no process and no port behind (the management ports of
 * health and metrics included). Runs last.
 */
@Order(Integer.MAX_VALUE)
@ExtendWith(SystemStack.class)
class LauncherIT {

    @Test
    void downStopsEveryProcessThatUpStarted() throws IOException {
        Path pids = SystemStack.ROOT.resolve(".jhe/systest"
                + (SystemStack.PORT_OFFSET > 0 ? "_" + SystemStack.PORT_OFFSET : "") + "/pids");
        List<Long> started = new ArrayList<>();
        try (Stream<Path> files = Files.list(pids)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                started.add(Long.parseLong(Files.readString(file).trim()));
            }
        }
        assertThat(started).as("gateway, console, four services, Kafka, the mail server and the database relay").hasSize(9);
        assertThat(started).allMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

        assertThat(SystemStack.jhe("down")).isZero();

        assertThat(started).noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        for (int port : new int[] { 18000, 18081, 18082, 18083, 18084, 18089, 29092, 29093, 29097, 29098,
                18500, 18581, 18582, 18583, 18584 }) {
            int shifted = port + SystemStack.PORT_OFFSET;
            assertThat(listening(shifted)).as("port %d", shifted).isFalse();
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
