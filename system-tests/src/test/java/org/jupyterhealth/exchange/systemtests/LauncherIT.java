package org.jupyterhealth.exchange.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import org.jupyterhealth.exchange.devstack.Stack;

/**
 * {@code ./jhe down} after {@code ./jhe up --detach} leaves no process and no port behind (the management ports of
 * health and metrics included); then a newcomer's first {@code ./jhe up}, on a stack of its own. Runs last.
 */
@Order(Integer.MAX_VALUE)
@ExtendWith(SystemStack.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherIT {
    /**
     * The dev stack of {@link #aFirstUpRecordsAnAotCacheForEveryPart}, shifted clear of the other stacks' ports (the
     * systest and bench stacks', and the dev stack a developer may be running).
     */
    private static final Stack FIRST_UP = Stack.of("dev", 11000 + SystemStack.PORT_OFFSET);
    /** Every part of a stack that runs with an AOT cache of its own, and the module whose target folder holds it. */
    private static final Map<String, String> CACHED_PARTS = Map.of("identity-service", "identity-service",
            "admin-service", "admin-service", "fhir-service", "fhir-service", "ingest-service", "ingest-service",
            "console", "console", "gateway", "gateway", "kafka", "devstack", "mail", "devstack");

    @Test
    @Order(1)
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

    /**
     * A newcomer's first {@code ./jhe up}, on a machine where the dev stack never ran (no folder of its own yet), on
     * JDK 25 or later: it starts the stack and records an AOT cache for every part (the four services, the console,
     * the gateway, the Kafka broker and the mail server), which the next start uses. On a tree whose caches are
     * already fresh nothing records, and every cache is still there.
     */
    @Test
    @Order(2)
    void aFirstUpRecordsAnAotCacheForEveryPart() throws IOException {
        Path folder = SystemStack.ROOT.resolve(".jhe").resolve(FIRST_UP.folder());
        deleteTree(folder);
        Path output = Files.createTempFile("jhe-first-up", ".txt");
        String printed;
        try {
            int up = firstUpStack(output, "up", "--detach", "--no-build", "--fresh");
            printed = Files.readString(output);
            assertThat(up).as("./jhe up on a new folder, which printed:%n%s", printed).isZero();
        } finally {
            int down = firstUpStack(output, "down");
            deleteTree(folder);
            assertThat(down).as("./jhe down, which printed:%n%s", Files.readString(output)).isZero();
            Files.deleteIfExists(output);
        }
        Matcher java = Pattern.compile("services run on Java (\\d+)").matcher(printed);
        assumeTrue(java.find() && Integer.parseInt(java.group(1)) >= 25, "the services run on JDK 25 or later");

        assertThat(printed).doesNotContain("wrote no AOT cache", "recording goes on", "is dropped");
        for (Map.Entry<String, String> part : CACHED_PARTS.entrySet()) {
            Path caches = SystemStack.ROOT.resolve(part.getValue()).resolve("target").resolve("aot");
            boolean written = printed.contains(part.getKey() + ": AOT cache written");
            try (Stream<Path> files = Files.list(caches)) {
                assertThat(files.map(f -> f.getFileName().toString()))
                        .as("%s's AOT cache (written by this run: %s)", part.getKey(), written)
                        .anyMatch(name -> name.startsWith(part.getKey() + "-jdk") && name.endsWith(".aot"));
            }
        }
    }

    /** {@code ./jhe COMMAND --stack dev ARGS} on {@link #FIRST_UP}, as a newcomer runs it: no setting of its own. */
    private static int firstUpStack(Path output, String command, String... args) {
        List<String> line = new ArrayList<>(List.of(SystemStack.ROOT.resolve("jhe").toString(), command, "--stack",
                FIRST_UP.name()));
        line.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(line).directory(SystemStack.ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().remove("JHE_AOT_CACHE");
        builder.environment().put("JHE_PORT_OFFSET", Integer.toString(FIRST_UP.offset()));
        return SystemStack.run(builder);
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
