package org.jupyterhealth.exchange.fhir.observation;

import java.util.List;

import org.jupyterhealth.exchange.fhir.search.DateRange;
import org.jupyterhealth.exchange.fhir.search.TokenValue;

/**
 * The row conditions of an Observation search beyond access (which arrives as grants): each list holds the
 * occurrences of one parameter (AND), each occurrence its comma-separated values (OR).
 */
public record ObservationFilter(List<List<Long>> ids, List<List<TokenValue>> identifiers, List<List<DateRange>> dates,
        List<List<DateRange>> lastUpdated, List<List<Long>> devices, List<List<String>> statuses) {

    public static ObservationFilter none() {
        return new ObservationFilter(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }
}
