package org.jupyterhealth.exchange.devstack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The processes of one stack, each known by name through its pid file ({@code pids/NAME.pid}, which the system
 * tests read too) and logging to {@code logs/NAME.log}. They run in a session of their own, so that a Ctrl-C in the
 * terminal reaches only {@code ./jhe}, which stops them in order, and they outlive it when detached.
 */
final class Processes {
    private static final Duration POLL = Duration.ofMillis(50);
    private static final Duration AFTER_KILL = Duration.ofSeconds(5);
    private static final Optional<String> SETSID = List.of("/usr/bin/setsid", "/bin/setsid").stream()
            .filter(p -> Files.isExecutable(Path.of(p))).findFirst();

    private final Path pidDir;
    private final Path logDir;
    private final Console console;

    Processes(Path runDir, Console console) {
        this.pidDir = runDir.resolve("pids");
        this.logDir = runDir.resolve("logs");
        this.console = console;
    }

    Path logDir() {
        return logDir;
    }

    Path log(String name) {
        return logDir.resolve(name + ".log");
    }

    Path pidFile(String name) {
        return pidDir.resolve(name + ".pid");
    }

    /** The pid its file names, if there is one. */
    Optional<Long> pid(String name) {
        return readPid(pidFile(name));
    }

    static Optional<Long> readPid(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    boolean alive(String name) {
        return pid(name).flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The names of the pid files present, in no particular order. */
    List<String> names() {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(pidDir)) {
            try (var files = Files.list(pidDir)) {
                files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".pid"))
                        .forEach(f -> names.add(f.substring(0, f.length() - ".pid".length())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return names;
    }

    /** Starts {@code command} as NAME, with {@code env} added to this process's environment; returns its pid. */
    long start(String name, List<String> command, Map<String, String> env) {
        try {
            Files.createDirectories(pidDir);
            Files.createDirectories(logDir);
            long pid = spawn(command, env, log(name));
            Files.writeString(pidFile(name), pid + "\n");
            return pid;
        } catch (IOException e) {
            throw new LauncherException("cannot start " + name + ": " + e.getMessage());
        }
    }

    /**
     * Starts a command that runs to its end while {@code ./jhe} waits (a service's migration run), appending its
     * output to NAME's log; no pid file: it is no part of the stack, and a Ctrl-C ends it with {@code ./jhe}.
     */
    Process run(String name, List<String> command, Map<String, String> env) {
        try {
            Files.createDirectories(logDir);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(log(name).toFile()))
                    .redirectInput(Redirect.from(new File("/dev/null")));
            builder.environment().putAll(env);
            return builder.start();
        } catch (IOException e) {
            throw new LauncherException("cannot start " + name + ": " + e.getMessage());
        }
    }

    /** Starts a command detached, in a session of its own, appending its output to {@code log}. */
    static long spawn(List<String> command, Map<String, String> env, Path log) throws IOException {
        List<String> line = new ArrayList<>();
        if (SETSID.isPresent()) {
            // a child of a JVM never leads a process group, so setsid makes the session without a fork: the pid
            // below stays the program's own
            line.add(SETSID.get());
        }
        line.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(log.toFile())).redirectInput(Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
        return builder.start().pid();
    }

    /**
     * TERM, then KILL if it still runs {@code limitSeconds} later (services finish the requests under way and exit
     * within 5 s; a Kafka broker writes its logs clean first); says how long it took. Forgets the pid file. Returns
     * whether the process ended by itself (false when it had to be killed).
     */
    boolean stop(String name, int limitSeconds) {
        Optional<ProcessHandle> process = pid(name).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        boolean clean = true;
        if (process.isPresent()) {
            long started = System.nanoTime();
            process.get().destroy();
            if (waitForExit(process.get(), Duration.ofSeconds(limitSeconds))) {
                long millis = (System.nanoTime() - started) / 1_000_000;
                console.ok(String.format("stopped %s in %d.%d s", name, millis / 1000, millis % 1000 / 100));
            } else {
                process.get().destroyForcibly();
                waitForExit(process.get(), AFTER_KILL);
                console.say(console.red(name + " did not stop within " + limitSeconds + " s of TERM; killed it"));
                clean = false;
            }
        }
        forget(name);
        return clean;
    }

    /** KILL at once; returns the pid it killed, if it ran. Forgets the pid file. */
    Optional<Long> kill(String name) {
        Optional<ProcessHandle> process = pid(name).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        process.ifPresent(p -> {
            p.destroyForcibly();
            waitForExit(p, AFTER_KILL);
        });
        forget(name);
        return process.map(ProcessHandle::pid);
    }

    void forget(String name) {
        try {
            Files.deleteIfExists(pidFile(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean waitForExit(ProcessHandle process, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (process.isAlive()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(POLL);
        }
        return true;
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted");
        }
    }

    /** The last lines of a log, to show why a process ended. */
    static List<String> tail(Path log, int lines) {
        try {
            List<String> all = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of();
        }
    }
}
