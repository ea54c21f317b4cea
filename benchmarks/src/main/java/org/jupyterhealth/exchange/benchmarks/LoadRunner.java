package org.jupyterhealth.exchange.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Closed-loop load: {@code concurrency} workers each repeat one operation as fast as the system answers, for a
 * warm-up (not recorded) and then a measured period. Latencies go into an HDR histogram.
 */
public final class LoadRunner {

    /** One operation; returns false (or throws) when the system's answer was not the expected one. */
    @FunctionalInterface
    public interface Operation {
        boolean run(int worker) throws Exception;
    }

    /** What a run measured. */
    public record Result(String name, int concurrency, long operations, long errors, double seconds,
            Histogram latencies) {

        public double throughput() {
            return operations / seconds;
        }

        public double percentileMillis(double percentile) {
            return latencies.getValueAtPercentile(percentile) / 1000.0;
        }

        /** One line a person can read and a closing note can quote. */
        public String summary() {
            return String.format("%-40s c=%-3d ops=%-8d errors=%-5d %9.1f ops/s   p50 %7.2f ms   p95 %7.2f ms   "
                    + "p99 %7.2f ms   max %8.2f ms", name, concurrency, operations, errors, throughput(),
                    percentileMillis(50), percentileMillis(95), percentileMillis(99),
                    latencies.getMaxValue() / 1000.0);
        }
    }

    private LoadRunner() {
    }

    /** The median of the values (of an even number: the mean of the middle two). */
    public static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /**
     * Runs the load in windows until the services have reached their steady state: a freshly started JVM compiles
     * its hot paths for minutes on two cores, and that compiling competes with the load. Stops once the last three
     * windows' rates lie within 5% of their mean (at least four windows, at most {@code max}), printing each window's
     * rate. A rule that only waited for windows no faster than the best before them ended warm-ups whose rate was
     * still climbing by 3-4% a window, or had dipped once on the machine's other work; a comparison of two runs
     * (audit on and off) then measured how far each system had got: the first audited run also warms the audit
     * store's consumer in ingest-service, which the runs after it find warm.
     */
    public static void warmUp(String name, int concurrency, Duration window, Duration max, Operation operation)
            throws InterruptedException {
        List<Double> rates = new ArrayList<>();
        long windows = Math.max(4, max.toNanos() / window.toNanos());
        for (int w = 1; w <= windows; w++) {
            Result result = run(name, concurrency, Duration.ZERO, window, operation);
            System.out.printf("  warm-up %-34s %3d s  %9.1f ops/s  p99 %7.2f ms%n", name,
                    w * window.toSeconds(), result.throughput(), result.percentileMillis(99));
            rates.add(result.throughput());
            if (w >= 4 && steady(rates.subList(rates.size() - 3, rates.size()))) {
                return;
            }
        }
    }

    /** Whether these windows' rates lie within 5% of their mean. */
    static boolean steady(List<Double> rates) {
        double mean = rates.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double spread = rates.stream().mapToDouble(Double::doubleValue).max().orElse(0)
                - rates.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        return mean > 0 && spread <= 0.05 * mean;
    }

    public static Result run(String name, int concurrency, Duration warmup, Duration measured, Operation operation)
            throws InterruptedException {
        Recorder recorder = new Recorder(3);
        AtomicLong operations = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long warmupEnd = System.nanoTime() + warmup.toNanos();
        long end = warmupEnd + measured.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            workers.add(pool.submit(() -> {
                while (true) {
                    long start = System.nanoTime();
                    if (start >= end) {
                        return null;
                    }
                    boolean ok;
                    try {
                        ok = operation.run(worker);
                    } catch (Exception e) {
                        ok = false;
                    }
                    long stop = System.nanoTime();
                    if (start >= warmupEnd) {
                        recorder.recordValue(Math.max(1, (stop - start) / 1000));
                        operations.incrementAndGet();
                        if (!ok) {
                            errors.incrementAndGet();
                        }
                    }
                }
            }));
        }
        for (Future<?> worker : workers) {
            try {
                worker.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        Histogram histogram = recorder.getIntervalHistogram();
        return new Result(name, concurrency, operations.get(), errors.get(), measured.toNanos() / 1e9, histogram);
    }
}
