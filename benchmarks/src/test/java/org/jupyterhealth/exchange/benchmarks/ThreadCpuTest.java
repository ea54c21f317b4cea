package org.jupyterhealth.exchange.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThreadCpuTest {

    @Test
    void threadsAreSortedByKindAndTheirTicksAddUp(@TempDir Path proc) throws IOException {
        task(proc, 1, "java", 3, 1);
        task(proc, 2, "java", 84, 12);
        task(proc, 3, "C2 CompilerThre", 101, 3);
        task(proc, 4, "C1 CompilerThre", 60, 6);
        task(proc, 5, "C1 CompilerThre", 2, 0);
        task(proc, 6, "VM Thread", 5, 1);
        task(proc, 7, "vert.x-eventloo", 3, 0);
        schedstat(proc, 1, 30_000_000L, 1_000_000L);
        schedstat(proc, 2, 960_000_000L, 629_000_000L);
        schedstat(proc, 3, 1_040_000_000L, 5_000_000_000L);

        ThreadCpu cpu = ThreadCpu.of(proc);

        assertThat(cpu.c2()).isCloseTo(1.04, within(1e-9));
        assertThat(cpu.c1()).isCloseTo(0.68, within(1e-9));
        assertThat(cpu.main()).isCloseTo(1.00, within(1e-9));
        assertThat(cpu.other()).isCloseTo(0.09, within(1e-9));
        assertThat(cpu.compilers()).isCloseTo(1.72, within(1e-9));
        assertThat(cpu.mainWaiting()).as("the main threads' waits only").isCloseTo(0.63, within(1e-9));
        assertThat(cpu.toString()).isEqualTo("JIT compilers 1.72 s (C2 1.04, C1 0.68), main thread 1.00 s (waited"
                + " 0.63 s for a core), other threads 0.09 s");
    }

    @Test
    void withoutTheKernelsSchedulerStatisticsTheWaitIsNotTold(@TempDir Path proc) throws IOException {
        task(proc, 1, "java", 3, 1);
        task(proc, 2, "java", 84, 12);

        ThreadCpu cpu = ThreadCpu.of(proc);

        assertThat(cpu.mainWaiting()).isNaN();
        assertThat(cpu.toString()).isEqualTo(
                "JIT compilers 0.00 s (C2 0.00, C1 0.00), main thread 1.00 s, other threads 0.00 s");
    }

    @Test
    void aThreadThatEndedWhileBeingReadIsLeftOut(@TempDir Path proc) throws IOException {
        task(proc, 1, "java", 50, 0);
        Files.createDirectories(proc.resolve("task").resolve("2"));

        assertThat(ThreadCpu.of(proc).total()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void thisJvmsOwnThreadsAddUpToItsProcessTime() throws IOException {
        long sink = 0;
        for (int i = 0; i < 3_000_000; i++) {
            sink += Integer.toString(i).hashCode();
        }
        Path self = Path.of("/proc", Long.toString(ProcessHandle.current().pid()));
        ThreadCpu cpu = ThreadCpu.of(self);
        double process = FootprintBenchmark.processCpuSeconds(Long.toString(ProcessHandle.current().pid()));

        assertThat(sink).isNotZero();
        assertThat(cpu.compilers()).as("the loop above was compiled").isPositive();
        assertThat(cpu.main()).as("the tests run on the main thread").isPositive();
        // the process's time also holds that of its threads that ended; one tick for a thread read after it
        assertThat(cpu.total()).isLessThanOrEqualTo(process + 0.01).isGreaterThan(process / 2);
        double alive = Duration.between(ProcessHandle.current().info().startInstant().orElseThrow(), Instant.now())
                .toNanos() / 1e9;
        assertThat(cpu.mainWaiting()).as("waited for a core at most as long as it has lived").isNotNaN()
                .isBetween(0.0, alive + 1);
    }

    private static void schedstat(Path proc, int tid, long runNanos, long waitNanos) throws IOException {
        Files.writeString(proc.resolve("task").resolve(Integer.toString(tid)).resolve("schedstat"),
                runNanos + " " + waitNanos + " 42\n");
    }

    private static void task(Path proc, int tid, String name, long userTicks, long systemTicks) throws IOException {
        Path task = Files.createDirectories(proc.resolve("task").resolve(Integer.toString(tid)));
        Files.writeString(task.resolve("comm"), name + "\n");
        Files.writeString(task.resolve("stat"), tid + " (" + name + ") S 1 1 1 0 -1 4194368 100 0 0 0 " + userTicks
                + " " + systemTicks + " 0 0 20 0 1 0 1234 0 0\n");
    }
}
