package org.jupyterhealth.exchange.fhir.observation;

/**
 * One time bucket of a reduced series ({@link ObservationRepository#series}): for a quantity ({@code name}), how
 * many data points hold it in the bucket and their least, greatest and mean value; with a null {@code name}, the
 * bucket's observations and their mean time (epoch seconds), the time the bucket is drawn at (a data point's own
 * time when the bucket holds one).
 */
public record ObservationSeriesRow(int bucket, String name, String unit, long count, double min, double max,
        double mean, double seconds) {
}
