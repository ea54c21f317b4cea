package org.jupyterhealth.exchange.fhir.observation;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;

import org.jupyterhealth.exchange.fhir.search.DateRange;
import org.jupyterhealth.exchange.fhir.search.SearchRequest;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;

/**
 * What {@code Observation/$series} reduces: one patient, one code, a bounded range of clinical time (from the
 * search's {@code date} lower and upper bounds) and how many buckets to cut it into. Anything else is a 400.
 */
record SeriesRange(long patientId, OffsetDateTime from, OffsetDateTime to, int buckets) {
    static final int DEFAULT_BUCKETS = 1000;
    static final int MAX_BUCKETS = 2000;
    /** A plot covers a year at most (the console's limit is 366 days); longer ranges are refused, not slow. */
    static final Duration LONGEST = Duration.ofDays(400);

    static SeriesRange of(SearchRequest search, ObservationSearch parsed) {
        List<List<Long>> patients = parsed.patients();
        if (patients.size() != 1 || patients.get(0).size() != 1) {
            throw new InvalidRequestException("$series needs exactly one patient.");
        }
        if (parsed.codes().size() != 1 || parsed.codes().get(0).size() != 1) {
            throw new InvalidRequestException("$series needs exactly one code.");
        }
        OffsetDateTime from = null;
        OffsetDateTime to = null;
        for (List<DateRange> anyOf : parsed.filter().dates()) {
            if (anyOf.size() != 1) {
                continue; // an OR of ranges narrows the rows, not the plotted range
            }
            DateRange range = anyOf.get(0);
            OffsetDateTime lower = switch (range.comparator()) {
                case GE -> range.start();
                case GT -> range.end();
                default -> null;
            };
            OffsetDateTime upper = switch (range.comparator()) {
                case LT -> range.start();
                case LE -> range.end();
                default -> null;
            };
            if (lower != null && (from == null || lower.isAfter(from))) {
                from = lower;
            }
            if (upper != null && (to == null || upper.isBefore(to))) {
                to = upper;
            }
        }
        if (from == null || to == null) {
            throw new InvalidRequestException("$series needs a range: date=ge… and date=lt….");
        }
        if (!to.isAfter(from)) {
            throw new InvalidRequestException("Invalid value for date: the range is empty.");
        }
        if (Duration.between(from, to).compareTo(LONGEST) > 0) {
            throw new InvalidRequestException("Invalid value for date: $series covers at most 400 days.");
        }
        int buckets = DEFAULT_BUCKETS;
        List<String> given = search.occurrences("_buckets");
        if (given.size() > 1) {
            throw new InvalidRequestException("Invalid value for _buckets: give it once.");
        }
        if (!given.isEmpty()) {
            String value = given.get(0);
            if (!value.matches("[0-9]{1,4}") || Integer.parseInt(value) < 1 || Integer.parseInt(value) > MAX_BUCKETS) {
                throw new InvalidRequestException("Invalid value for _buckets: a number from 1 to " + MAX_BUCKETS
                        + ".");
            }
            buckets = Integer.parseInt(value);
        }
        return new SeriesRange(patients.get(0).get(0), from, to, buckets);
    }
}
