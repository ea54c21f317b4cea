package org.jupyterhealth.exchange.fhir.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The export volume ({@code jhe.fhir.export.dir}): one folder per job, named by its id, holding its NDJSON files.
 * Every method here blocks on the file system: callers run it on a worker thread, never on the event loop.
 */
@ApplicationScoped
public class ExportFiles {
    /** The names files are given ({@code Observation-3.ndjson}); anything else is never served. */
    static final Pattern NAME = Pattern.compile("[A-Za-z]{1,64}-[1-9][0-9]{0,8}\\.ndjson");

    private final Path root;
    private final long maxFileSize;
    private final long firstFileResources;

    public ExportFiles(ExportConfig config) {
        this.root = Path.of(config.dir()).toAbsolutePath().normalize();
        this.maxFileSize = config.maxFileSize().asLongValue();
        this.firstFileResources = Math.max(1, config.firstFileResources());
    }

    /** A file of a job, or null when the name is not one this service gives. */
    public Path file(UUID job, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return null;
        }
        return root.resolve(job.toString()).resolve(name);
    }

    /** Removes a job's folder and everything in it (nothing when there is none). */
    public void deleteJob(UUID job) {
        Path folder = root.resolve(job.toString());
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(path);
                } catch (NoSuchFileException e) {
                    // removed meanwhile (a cancel and the worker's own clean-up)
                }
            }
        } catch (NoSuchFileException e) {
            // removed meanwhile
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The job folders on the volume (the clean-up compares them with the jobs recorded). */
    public List<UUID> jobFolders() {
        List<UUID> jobs = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return jobs;
        }
        try (Stream<Path> folders = Files.list(root)) {
            folders.forEach(folder -> {
                try {
                    jobs.add(UUID.fromString(folder.getFileName().toString()));
                } catch (IllegalArgumentException e) {
                    // not a job's folder: not ours to remove
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jobs;
    }

    /** A writer of a job's files, its folder created empty (whatever an earlier attempt left is removed). */
    public Writer start(UUID job) {
        deleteJob(job);
        Path folder = root.resolve(job.toString());
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Writer(folder, maxFileSize, firstFileResources);
    }

    /**
     * Writes a job's files one type at a time: lines go to {@code <Type>-<n>.ndjson}, and a file that has reached
     * the maximum size is closed before the next line, which starts the next file of the type; the first file of a
     * type is closed as soon as it holds {@code firstFileResources} lines (a small first file, listed early). Closed
     * files wait in
     * {@link #finished()} to be recorded. Used by one thread at a time.
     */
    public static final class Writer implements AutoCloseable {
        private final Path folder;
        private final long maxFileSize;
        private final long firstFileResources;
        private final List<ExportFile> finished = new ArrayList<>();
        private int seq;
        private String type;
        private String kind;
        private int part;
        private OutputStream out;
        private String name;
        private long lines;
        private long bytes;

        Writer(Path folder, long maxFileSize, long firstFileResources) {
            this.folder = folder;
            this.maxFileSize = maxFileSize;
            this.firstFileResources = firstFileResources;
        }

        /** Begins a type: the lines that follow are of it (the previous type's file is closed). */
        public void begin(String type, String kind) {
            closeFile();
            this.type = type;
            this.kind = kind;
            this.part = 0;
        }

        /** One resource's JSON, which holds no line break (JSON text escapes them). */
        public void line(byte[] json, int length) {
            try {
                if (out != null && bytes > 0 && bytes + length + 1 > maxFileSize) {
                    closeFile();
                }
                if (out == null) {
                    part++;
                    name = type + "-" + part + ".ndjson";
                    out = new BufferedOutputStream(Files.newOutputStream(folder.resolve(name)), 1 << 16);
                    lines = 0;
                    bytes = 0;
                }
                out.write(json, 0, length);
                out.write('\n');
                lines++;
                bytes += length + 1L;
                if (part == 1 && lines >= firstFileResources) {
                    closeFile();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The files closed since the last call. */
        public List<ExportFile> finished() {
            List<ExportFile> done = List.copyOf(finished);
            finished.clear();
            return done;
        }

        /** Closes the open file, if any. */
        public void closeFile() {
            if (out == null) {
                return;
            }
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                out = null;
            }
            finished.add(new ExportFile(++seq, name, type, kind, lines, bytes));
        }

        @Override
        public void close() {
            closeFile();
        }
    }
}
