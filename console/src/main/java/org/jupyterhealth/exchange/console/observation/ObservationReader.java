package org.jupyterhealth.exchange.console.observation;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jupyterhealth.exchange.console.api.ObservationPages;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.buffer.Buffer;

/**
 * Reads a patient's observations of one code over a time range from the FHIR API, as the user may see them: reduced
 * to a plot's buckets ({@link ReducedSeries}), the latest ones for a table, or all of them as CSV streamed page by
 * page ({@link #csv}). Pages are parsed on a worker thread (a page of 1000 data points is a few milliseconds of
 * parsing, too long for the event loop).
 */
@ApplicationScoped
public class ObservationReader {
    static final int PAGE = 1000;

    private final ObservationPages pages;

    public ObservationReader(@RestClient ObservationPages pages) {
        this.pages = pages;
    }

    /**
     * Every observation of {@code code} with a clinical time in [{@code from}, {@code to}) as CSV, oldest first, in
     * constant memory: one chunk per page of 1000 of the search (its cursor followed), the header line with the
     * first, each page asked for only when the response has taken the chunk before (the HTTP response's demand), so
     * the console never holds more than a page however long the file is. The columns are fixed by the first chunk:
     * the FHIR API's {@code $series} in one bucket over the range names every quantity the range holds, with its
     * unit; they are put in the order the first page's data points hold them (a blood pressure's systolic before its
     * diastolic), the others after. A failure before the first chunk (a refusal, an unreachable API) fails the
     * returned stream before anything is written; one later can only end the file short, which the caller makes
     * visible by breaking the connection.
     */
    public Multi<Buffer> csv(String accessToken, long patientId, String code, Instant from, Instant to) {
        String authorization = "Bearer " + accessToken;
        List<String> dates = List.of("ge" + from, "lt" + to);
        return pages.series(authorization, patientId, code, dates, 1)
                .map(answer -> {
                    try {
                        return ReducedSeries.read(answer).columns();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .onItem().transformToMulti(columns -> {
                    Map<String, String> units = new LinkedHashMap<>();
                    columns.forEach(column -> units.put(column[0], column[1]));
                    List<String> names = new ArrayList<>();
                    String[] cursor = { null };
                    boolean[] last = { false };
                    boolean[] headed = { false };
                    return Multi.createBy().repeating()
                            .uni(() -> pages.page(authorization, patientId, code, dates, "date", PAGE, "none",
                                    cursor[0])
                                    .emitOn(Infrastructure.getDefaultWorkerPool())
                                    .map(page -> {
                                        ObservationSeries series = new ObservationSeries();
                                        StringWriter csv = new StringWriter();
                                        try {
                                            cursor[0] = SearchsetReader.read(page, series);
                                            if (!headed[0]) {
                                                headed[0] = true;
                                                csv.write(header(series, units, names));
                                            }
                                            series.writeCsvRows(csv, names);
                                        } catch (IOException e) {
                                            throw new UncheckedIOException(e);
                                        }
                                        last[0] = cursor[0] == null;
                                        return Buffer.buffer(csv.toString());
                                    }))
                            // the page that has no next link is emitted too, and ends the repetition
                            .whilst(chunk -> !last[0])
                            .select().where(chunk -> chunk.length() > 0);
                });
    }

    /**
     * The header line, once: the quantities of {@code units} in the order the first page's data points hold them,
     * then the others; {@code names} receives that order for the rows.
     */
    private static String header(ObservationSeries first, Map<String, String> units, List<String> names) {
        first.names().stream().filter(units::containsKey).forEach(names::add);
        units.keySet().stream().filter(name -> !names.contains(name)).forEach(names::add);
        return ObservationSeries.csvHeader(names.stream().map(name -> new String[] { name, units.get(name) })
                .toList());
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
}
