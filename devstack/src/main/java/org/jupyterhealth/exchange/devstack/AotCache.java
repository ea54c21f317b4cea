package org.jupyterhealth.exchange.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;

/**
 * A service's AOT cache (JDK 25: JEP 483, 514 and 515): the classes its JVM loaded and linked, and the profiles of
 * its methods, from a training run, so that the next start skips that work. It belongs to one build of the service
 * and one JDK, so it lives in the module's {@code target/aot/} (never committed, gone with {@code mvn clean}) and is
 * named by the JDK's version.
 *
 * <p>The training run is the service's own first start after a build: {@code ./jhe} starts it with
 * {@code -XX:AOTCacheOutput} pointing at {@link #training(String)}; the JVM records what it does until it exits, and
 * then writes the cache (a few seconds more at the stop). Only a stop that ended in time makes the recording the
 * cache ({@link #keepTraining(Path, boolean)}): a JVM killed while it writes leaves none, or half of one. The JVM
 * checks a cache against the class path and its own options when it maps it, and runs without it (saying so in the
 * log) when they differ.
 *
 * @param file the cache
 * @param app  the service's fast-jar folder ({@code target/quarkus-app}), whose files the cache belongs to
 */
record AotCache(Path file, Path app) {

    /** The cache of one service's build for one JDK. */
    static AotCache of(Path root, Service service, ServiceJava java) {
        Path target = root.resolve(service.id()).resolve("target");
        return new AotCache(target.resolve("aot").resolve(service.id() + "-jdk" + java.version() + ".aot"),
                target.resolve("quarkus-app"));
    }

    /**
     * Where a training run on a stack writes, until a clean stop makes it the cache (one file per stack: the dev and
     * the systest stack may train at the same time).
     */
    Path training(String stack) {
        return file.resolveSibling(file.getFileName() + "." + stack + ".training");
    }

    /**
     * Whether the cache is there and newer than every file of the build it was made from (a file removed from the
     * build changes the class path, which the JVM checks itself when it maps the cache).
     */
    boolean fresh() {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        FileTime made = modified(file);
        return Build.newestUnder(app, true).map(newest -> newest.compareTo(made) <= 0).orElse(false);
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
        return List.of("-XX:AOTCacheOutput=" + training(stack));
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

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
