package org.jupyterhealth.exchange.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A service's AOT cache (JDK 25: JEP 483, 514 and 515): the classes its JVM loaded and linked, and the profiles of
 * its methods, from a training run, so that the next start skips that work. It belongs to one build of the service
 * and one JDK, so it lives in the module's {@code target/aot/} (never committed, gone with {@code mvn clean}) and is
 * named by the JDK's version.
 *
 * <p>The training run is the service's own first start after a build: {@code ./jhe} starts it with
 * {@code -XX:AOTCacheOutput} pointing at {@link #training(String)}, and once the service has been ready for
 * {@link #RECORDED_AFTER_READY} ends the recording ({@link #endRecording}): the JVM writes the cache while the service
 * goes on serving. The cache then holds the start (the classes it loaded and linked, the profiles of the methods it
 * ran), whatever the stack did afterwards: recorded until the stop instead, a long session's profiles made the JIT
 * compilers compile its hot paths at every later start, and fhir-service took 2.1 to 2.6 s to be ready instead of 1.6
 * to 1.7 s. A training run stopped before that writes the cache at its exit, and only a stop that ended in time makes
 * that recording the cache ({@link #keepTraining(Path, boolean)}): a JVM killed while it writes leaves none, or half
 * of one. The JVM checks a cache against the class path and its own options when it maps it, and runs without it
 * (saying so in the log) when they differ.
 *
 * @param file    the cache
 * @param sources the files and folders whose classes the cache holds (a service's fast-jar folder, {@code
 *                target/quarkus-app}): a newer file among them makes it stale
 */
record AotCache(Path file, List<Path> sources) {
    /**
     * How long a training run records after its service is ready: the work that follows readiness at once (the FHIR
     * context's warm-up, the Kafka clients' first exchanges) belongs to every start too.
     */
    static final Duration RECORDED_AFTER_READY = Duration.ofSeconds(10);
    /** The option by which a JVM records its start into a cache (JEP 514). */
    private static final String RECORD = "-XX:AOTCacheOutput=";
    /** What {@code jcmd AOT.end_recording} prints once the cache is written. */
    private static final String RECORDING_ENDED = "Recording ended successfully";

    /** The cache of one service's build for one JDK. */
    static AotCache of(Path root, Service service, ServiceJava java) {
        Path target = root.resolve(service.id()).resolve("target");
        return new AotCache(target.resolve("aot").resolve(service.id() + "-jdk" + java.version() + ".aot"),
                List.of(target.resolve("quarkus-app")));
    }

    /**
     * The Kafka broker's cache for one JDK: the classes of devstack's runtime libraries, which hold the broker, and of
     * the launcher's jar on its class path ({@code launcher}: a build of devstack copies a new one, which makes the
     * cache stale though the libraries did not change).
     */
    static AotCache ofKafka(Path root, ServiceJava java, Path launcher) {
        Path target = root.resolve(Build.DEVSTACK).resolve("target");
        return new AotCache(target.resolve("aot").resolve("kafka-jdk" + java.version() + ".aot"),
                List.of(target.resolve("lib"), launcher));
    }

    /** The mail server's cache for one JDK: of GreenMail's jar, which devstack's build copies. */
    static AotCache ofMailServer(Path root, ServiceJava java) {
        Path mail = root.resolve(Build.DEVSTACK).resolve("target").resolve("mail");
        return new AotCache(mail.resolveSibling("aot").resolve("mail-jdk" + java.version() + ".aot"), List.of(mail));
    }

    /**
     * Where a training run on a stack writes, until a clean stop makes it the cache (one file per stack: the dev and
     * the systest stack may train at the same time).
     */
    Path training(String stack) {
        return file.resolveSibling(file.getFileName() + "." + stack + ".training");
    }

    /**
     * Whether the cache is there and newer than every file of its sources, which must all be there (a file removed
     * from them changes the class path, which the JVM checks itself when it maps the cache). A stale cache stays
     * until a training run replaces it; nothing starts with it.
     */
    boolean fresh() {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        FileTime made = modified(file);
        return sources.stream().allMatch(source -> newest(source).map(n -> n.compareTo(made) <= 0).orElse(false));
    }

    /** The time of a file, or of the newest file under a folder; empty when there is none. */
    private static Optional<FileTime> newest(Path source) {
        return Files.isRegularFile(source) ? Optional.of(modified(source)) : Build.newestUnder(source, true);
    }

    /**
     * The options a service starts with: the cache when it is fresh; else, if {@code stack} is not null, a training
     * run writing a new one; else none.
     */
    List<String> options(String stack) {
        if (fresh()) {
            return List.of("-XX:AOTCache=" + file);
        }
        if (stack == null) {
            return List.of();
        }
        try {
            Files.createDirectories(file.getParent());
            // a recording left by a run that was killed: never a cache
            Files.deleteIfExists(training(stack));
        } catch (IOException e) {
            throw new LauncherException("cannot prepare the AOT cache folder " + file.getParent() + ": "
                    + e.getMessage());
        }
        return List.of(RECORD + training(stack));
    }

    /** Where a JVM started with these {@link #options} records its cache, if it records one. */
    static Optional<Path> recording(List<String> options) {
        return options.stream().filter(option -> option.startsWith(RECORD))
                .map(option -> Path.of(option.substring(RECORD.length()))).findFirst();
    }

    /**
     * After the training run stopped: its recording becomes the cache when the JVM ended in time ({@code clean}) and
     * wrote one; otherwise it is dropped. Returns whether there is now a cache.
     */
    boolean keepTraining(Path training, boolean clean) {
        try {
            if (clean && Files.isRegularFile(training) && Files.size(training) > 0) {
                Files.move(training, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return true;
            }
            Files.deleteIfExists(training);
            return false;
        } catch (IOException e) {
            throw new LauncherException("cannot keep the AOT cache " + file + ": " + e.getMessage());
        }
    }

    /**
     * Ends the recording of a training run that is still running ({@code jcmd PID AOT.end_recording}, JDK 25): its
     * JVM writes what it recorded to its {@code -XX:AOTCacheOutput} file with a process of its own, and the command
     * returns once that is done; {@link #keepTraining} then makes it the cache. Returns whether the recording ended;
     * when not, the JVM still records and writes at its exit, as before.
     *
     * @param java  the JDK the service runs on (its {@code jcmd})
     * @param limit how long to wait for the cache to be written
     */
    static boolean endRecording(ServiceJava java, long pid, Duration limit) {
        Path jcmd = java.java().resolveSibling("jcmd");
        Path output = null;
        try {
            output = Files.createTempFile("jhe-aot-end", ".txt");
            Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "AOT.end_recording")
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0 && Files.readString(output).contains(RECORDING_ENDED);
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException e) {
                    // a temporary file of a few lines
                }
            }
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
