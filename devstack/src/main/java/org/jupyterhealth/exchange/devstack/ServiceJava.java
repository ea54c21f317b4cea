package org.jupyterhealth.exchange.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Java that runs the services: {@code JHE_JAVA_HOME} when set, otherwise the newest JDK of 25 or later found
 * in {@code /usr/lib/jvm}, otherwise the one running {@code ./jhe} (17 or later). JDK 25 brings what makes a service
 * start fast and stay small (the AOT cache of JEP 483/514/515, compact object headers); the services are compiled
 * for Java 17 and run on either.
 *
 * @param java    the {@code java} executable
 * @param version the full version from the JDK's {@code release} file ({@code 25.0.1}), or the running one's
 * @param feature the feature release: 17, 21, 25...
 */
record ServiceJava(Path java, String version, int feature) {
    /** The first release with {@code -XX:AOTCacheOutput} (JEP 514) and product compact object headers (JEP 519). */
    static final int AOT = 25;
    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"([^\"]+)\"");

    /**
     * @param javaHome the folder {@code JHE_JAVA_HOME} names, or null
     * @param jvmDir   where JDKs are installed ({@code /usr/lib/jvm})
     */
    static ServiceJava find(Path javaHome, Path jvmDir) {
        if (javaHome != null) {
            return of(javaHome).orElseThrow(() -> new LauncherException("JHE_JAVA_HOME=" + javaHome
                    + " is not a JDK (no bin/java, or no release file naming its version)"));
        }
        return newestAtLeast(jvmDir, AOT).orElseGet(ServiceJava::current);
    }

    /** The JDK in a folder, if it has a {@code bin/java} and a {@code release} file with its version. */
    static Optional<ServiceJava> of(Path home) {
        Path java = home.resolve("bin/java");
        Path release = home.resolve("release");
        if (!Files.isExecutable(java) || !Files.isRegularFile(release)) {
            return Optional.empty();
        }
        try {
            Matcher version = JAVA_VERSION.matcher(Files.readString(release));
            return version.find() ? Optional.of(new ServiceJava(java, version.group(1), feature(version.group(1))))
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The newest JDK of at least {@code feature} among the folders of {@code jvmDir}. */
    static Optional<ServiceJava> newestAtLeast(Path jvmDir, int feature) {
        if (!Files.isDirectory(jvmDir)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(jvmDir)) {
            List<ServiceJava> found = homes.sorted().map(ServiceJava::of).flatMap(Optional::stream)
                    .filter(j -> j.feature() >= feature).toList();
            return found.stream().max(Comparator.comparingInt(ServiceJava::feature));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The Java running this launcher. */
    static ServiceJava current() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ServiceJava(Path.of(java), Runtime.version().toString(), Runtime.version().feature());
    }

    /** {@code 17.0.12} and {@code 25} give 17 and 25; the old {@code 1.8.0_412} gives 8. */
    static int feature(String version) {
        String[] parts = version.split("[._+-]");
        int first = Integer.parseInt(parts[0]);
        return first == 1 && parts.length > 1 ? Integer.parseInt(parts[1]) : first;
    }

    /** Whether this Java has the AOT cache's one-step training and compact object headers. */
    boolean hasAotCache() {
        return feature >= AOT;
    }
}
