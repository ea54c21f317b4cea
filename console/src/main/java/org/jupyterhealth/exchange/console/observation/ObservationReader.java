package org.jupyterhealth.exchange.console.observation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jupyterhealth.exchange.console.api.ObservationPages;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Reads a patient's observations of one code over a time range from the FHIR API, as the user may see them, into
 * {@link ObservationSeries}. The range is cut into slices read side by side, each in pages of 1000 ({@code _count}
 * maximum) following the API's cursor, and no page asks for anything outside the range. Pages are read on a worker
 * thread (a page of 1000 data points is a few milliseconds of parsing, too long for the event loop).
 */
@ApplicationScoped
public class ObservationReader {
    static final int PAGE = 1000;

    private final ObservationPages pages;
    private final int slices;
    private final int maxPoints;

    public ObservationReader(@RestClient ObservationPages pages,
            @ConfigProperty(name = "jhe.console.plot.slices") int slices,
            @ConfigProperty(name = "jhe.console.plot.max-points") int maxPoints) {
        this.pages = pages;
        this.slices = Math.max(1, slices);
        this.maxPoints = maxPoints;
    }

    /**
     * The observations of {@code code} with a clinical time in [{@code from}, {@code to}), oldest first; at most
     * {@code jhe.console.plot.max-points} of them (then {@link ObservationSeries#truncated()}).
     */
    public Uni<ObservationSeries> read(String accessToken, long patientId, String code, Instant from, Instant to) {
        String authorization = "Bearer " + accessToken;
        List<Uni<ObservationSeries>> parts = new ArrayList<>();
        for (Instant[] slice : slices(from, to)) {
            parts.add(readSlice(authorization, patientId, code, slice[0], slice[1], maxPoints / slices + PAGE));
        }
        return Uni.join().all(parts).andFailFast().map(read -> {
            ObservationSeries all = read.get(0);
            for (int i = 1; i < read.size(); i++) {
                all.append(read.get(i));
            }
            return all;
        });
    }

    /**
     * The observations of {@code code} with a clinical time in [{@code from}, {@code to}) reduced by the FHIR API to
     * {@code buckets} time buckets ({@link ReducedSeries}): what a plot draws, in one request whatever the range
     * holds.
     */
    public Uni<ReducedSeries> reduced(String accessToken, long patientId, String code, Instant from, Instant to,
            int buckets) {
        return pages.series("Bearer " + accessToken, patientId, code, List.of("ge" + from, "lt" + to), buckets)
                .map(answer -> {
                    try {
                        return ReducedSeries.read(answer);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /**
     * The latest {@code count} observations of {@code code} with a clinical time in [{@code from}, {@code to}),
     * exactly as stored, newest first: one page of the search (a table's rows).
     */
    public Uni<ObservationSeries> latest(String accessToken, long patientId, String code, Instant from, Instant to,
            int count) {
        ObservationSeries series = new ObservationSeries();
        return pages.page("Bearer " + accessToken, patientId, code, List.of("ge" + from, "lt" + to), "-date", count,
                "none", null)
                .map(page -> {
                    try {
                        SearchsetReader.read(page, series);
                        return series;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /** Equal slices of the range, each at least an hour, at most {@code jhe.console.plot.slices} of them. */
    List<Instant[]> slices(Instant from, Instant to) {
        long seconds = Duration.between(from, to).getSeconds();
        int count = (int) Math.max(1, Math.min(slices, seconds / 3600));
        List<Instant[]> result = new ArrayList<>();
        Instant start = from;
        for (int i = 1; i <= count; i++) {
            Instant end = i == count ? to : from.plusSeconds(seconds * i / count);
            result.add(new Instant[] { start, end });
            start = end;
        }
        return result;
    }

    /**
     * One slice, page after page, as a repetition rather than a Uni chained per page: a chain keeps every page's
     * body reachable until the last page is read, so that concurrent month plots of 100,000 observations ran the
     * console out of heap. Here each page's body is let go once parsed into the series.
     */
    private Uni<ObservationSeries> readSlice(String authorization, long patientId, String code, Instant from,
            Instant to, int limit) {
        ObservationSeries series = new ObservationSeries();
        String[] cursor = { null };
        return Multi.createBy().repeating()
                .uni(() -> pages.page(authorization, patientId, code, List.of("ge" + from, "lt" + to), "date", PAGE,
                        "none", cursor[0])
                        .emitOn(Infrastructure.getDefaultWorkerPool())
                        .map(page -> {
                            try {
                                return Optional.ofNullable(SearchsetReader.read(page, series));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }))
                .whilst(next -> {
                    if (next.isEmpty()) {
                        return false;
                    }
                    if (series.size() >= limit) {
                        series.markTruncated();
                        return false;
                    }
                    cursor[0] = next.get();
                    return true;
                })
                .collect().last()
                .replaceWith(series);
    }
}
