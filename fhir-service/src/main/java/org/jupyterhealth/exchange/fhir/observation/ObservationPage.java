package org.jupyterhealth.exchange.fhir.observation;

import java.util.List;

import org.hl7.fhir.r5.model.Observation;
import org.jupyterhealth.exchange.fhir.search.PageCursor;

/** One page of an Observation search: its resources, the total (null when not computed) and the paging cursors. */
public record ObservationPage(List<Observation> resources, Long total, PageCursor next, PageCursor previous) {
}
