package org.jupyterhealth.exchange.fhir.observation;

import java.util.List;

/** One page of the admin API's observation list, with the number of observations in all pages. */
public record AdminObservationList(long count, List<AdminObservationItem> results) {
}
