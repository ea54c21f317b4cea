package org.jupyterhealth.exchange.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A JVM's CPU time by kind of thread, from {@code /proc/PID/task}: its JIT compilers (C1 and C2), its main thread and
 * the rest (the collector, the clients' threads, the FHIR warm-up...). On two cores a start's time to ready is set by
 * its main thread and by what competes with it for the other core: mostly the compilers, which compile what the start
 * makes hot and what the AOT cache's training profiles name. How long the main thread was runnable but waited for a
 * core ({@code /proc/PID/task/TID/schedstat}'s second field) says how much the rest held it back.
 *
 * @param c1          seconds of the C1 compiler threads
 * @param c2          seconds of the C2 compiler threads
 * @param main        seconds of the main thread (and the launcher's, which waits)
 * @param other       seconds of every other thread
 * @param mainWaiting seconds the main thread (and the launcher's) waited for a core while it could run; NaN where the
 *                    kernel keeps no scheduler statistics
 */
record ThreadCpu(double c1, double c2, double main, double other, double mainWaiting) {
    /** The unit of {@code /proc}'s CPU times (USER_HZ, 100 on Linux). */
    static final double CLOCK_TICKS_PER_SECOND = 100;

    /** The threads of the process whose {@code /proc} directory this is; those that ended meanwhile are left out. */
    static ThreadCpu of(Path proc) {
        double c1 = 0;
        double c2 = 0;
        double main = 0;
        double other = 0;
        double mainWaiting = 0;
        try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
            for (Path task : tasks.toList()) {
                String name;
                double seconds;
                try {
                    name = Files.readString(task.resolve("comm")).strip();
                    seconds = cpuSeconds(Files.readString(task.resolve("stat")));
                } catch (NoSuchFileException ended) {
                    continue;
                }
                // the kernel keeps 15 characters of a thread's name: "C2 CompilerThre"
                if (name.startsWith("C1 Compiler")) {
                    c1 += seconds;
                } else if (name.startsWith("C2 Compiler")) {
                    c2 += seconds;
                } else if (name.equals("java")) {
                    main += seconds;
                    mainWaiting += waitingSeconds(task.resolve("schedstat"));
                } else {
                    other += seconds;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ThreadCpu(c1, c2, main, other, mainWaiting);
    }

    /** The second of a {@code schedstat}'s three fields: nanoseconds runnable on a run queue, not running. */
    private static double waitingSeconds(Path schedstat) throws IOException {
        if (!Files.isRegularFile(schedstat)) {
            // a thread that ended since its stat was read is left out, as there; a kernel without the statistics
            // has none for a thread that runs
            return Files.isDirectory(schedstat.getParent()) ? Double.NaN : 0;
        }
        try {
            return Long.parseLong(Files.readString(schedstat).strip().split(" ")[1]) / 1e9;
        } catch (NoSuchFileException ended) {
            return 0;
        }
    }

    /** User and system time of a {@code stat} line (fields 14 and 15), counted after the name, which may hold blanks. */
    static double cpuSeconds(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3])) / CLOCK_TICKS_PER_SECOND;
    }

    double compilers() {
        return c1 + c2;
    }

    double total() {
        return c1 + c2 + main + other;
    }

    @Override
    public String toString() {
        String waited = Double.isNaN(mainWaiting) ? "" : String.format(" (waited %.2f s for a core)", mainWaiting);
        return String.format("JIT compilers %.2f s (C2 %.2f, C1 %.2f), main thread %.2f s%s, other threads %.2f s",
                compilers(), c2, c1, main, waited, other);
    }
}
