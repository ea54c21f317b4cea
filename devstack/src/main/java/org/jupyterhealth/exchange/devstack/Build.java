package org.jupyterhealth.exchange.devstack;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What {@code ./jhe} runs from the build, and whether it is older than its sources: the artifacts of common,
 * devstack and the five services (and the benchmarks'), their version read from the project's POM.
 */
final class Build {
    static final String COMMON = "common";
    static final String DEVSTACK = "devstack";
    static final String BENCHMARKS = "benchmarks";

    private final Path root;
    private final String version;

    Build(Path root) {
        this.root = root;
        this.version = projectVersion(root.resolve("pom.xml"));
    }

    /** The modules {@code ./jhe up} runs from, in build order. */
    static List<String> runtimeModules() {
        List<String> modules = new ArrayList<>(List.of(COMMON, DEVSTACK));
        Stream.of(Service.values()).map(Service::id).forEach(modules::add);
        return modules;
    }

    String version() {
        return version;
    }

    /** A plain module's jar, a service's fast-jar launcher. */
    Path artifact(String module) {
        return Service.named(module).isPresent()
                ? root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar")
                : root.resolve(module).resolve("target/" + module + "-" + version + ".jar");
    }

    /** A service's own classes and resources in its fast-jar ({@code quarkus-app/app/}). */
    Path applicationJar(String service) {
        return root.resolve(service).resolve("target/quarkus-app/app/" + service + "-" + version + ".jar");
    }

    /** The runtime classpath of a plain module, copied next to its jar by the build. */
    Path libraries(String module) {
        return root.resolve(module).resolve("target/lib");
    }

    /** GreenMail's executable jar, copied by devstack's build: the stacks' mail server. */
    Path mailServer() {
        return root.resolve(DEVSTACK).resolve("target/mail/greenmail-standalone.jar");
    }

    /** The classpath of devstack's (and the benchmarks') tools, as {@code java -cp} takes it. */
    String classpath(String module) {
        return artifact(module) + File.pathSeparator + libraries(module).resolve("*");
    }

    /**
     * Whether a module must be built again: its artifact is missing, or older than the parent POM, than a file of
     * its own main sources (or a folder of them: a file deleted) or POM, or (a service packages its own copy of
     * common) than common's jar.
     */
    boolean stale(String module) {
        Path artifact = artifact(module);
        if (!Files.isRegularFile(artifact)) {
            return true;
        }
        if ((module.equals(DEVSTACK) || module.equals(BENCHMARKS)) && !Files.isDirectory(libraries(module))) {
            return true;
        }
        FileTime built = modified(artifact);
        if (newer(root.resolve("pom.xml"), built)) {
            return true;
        }
        if (!module.equals(COMMON) && Files.isRegularFile(artifact(COMMON)) && newer(artifact(COMMON), built)) {
            return true;
        }
        return newer(root.resolve(module).resolve("pom.xml"), built)
                || newestUnder(root.resolve(module).resolve("src/main"), false).map(t -> t.compareTo(built) > 0)
                        .orElse(false);
    }

    /**
     * Marks the artifacts of modules just built as up to date: Maven leaves an artifact whose content did not change
     * (a test or a comment in the POM did) as old as it was.
     */
    void built(List<String> modules) {
        FileTime now = FileTime.fromMillis(System.currentTimeMillis());
        for (String module : modules) {
            Path artifact = artifact(module);
            if (Files.isRegularFile(artifact)) {
                try {
                    Files.setLastModifiedTime(artifact, now);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /** The modules to build, in build order: all of them when common is stale (every other one packages it). */
    List<String> staleOf(List<String> modules) {
        Set<String> stale = new LinkedHashSet<>();
        for (String module : modules) {
            if (stale(module)) {
                stale.add(module);
            }
        }
        if (stale.contains(COMMON)) {
            stale.addAll(modules);
        }
        return List.copyOf(stale);
    }

    /** {@code mvn -q -DskipTests package} of these modules and what they need, from the project's folder. */
    List<String> packageCommand(String maven, List<String> modules) {
        return List.of(maven, "-B", "-ntp", "-q", "-DskipTests", "package", "-pl", String.join(",", modules), "-am");
    }

    private static boolean newer(Path file, FileTime than) {
        return Files.exists(file) && modified(file).compareTo(than) > 0;
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The newest modification time under a folder, or none when the folder is missing: of its files and, unless
     * {@code filesOnly}, of its folders too (a folder's own changes when a file in it is removed or renamed).
     */
    static Optional<FileTime> newestUnder(Path folder, boolean filesOnly) {
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(f -> !filesOnly || Files.isRegularFile(f)).map(Build::modified)
                    .max(FileTime::compareTo);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code <version>} of the project element of a POM. */
    static String projectVersion(Path pom) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Element project = factory.newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
            for (Node child = project.getFirstChild(); child != null; child = child.getNextSibling()) {
                if (child instanceof Element element && element.getTagName().equals("version")) {
                    return element.getTextContent().trim();
                }
            }
            throw new LauncherException(pom + " has no project version");
        } catch (LauncherException e) {
            throw e;
        } catch (Exception e) {
            throw new LauncherException("cannot read the project version from " + pom + ": " + e.getMessage());
        }
    }
}
