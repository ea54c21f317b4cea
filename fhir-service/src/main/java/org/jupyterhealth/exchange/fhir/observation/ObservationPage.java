package org.jupyterhealth.exchange.fhir.observation;

import java.util.List;

import org.jupyterhealth.exchange.fhir.search.PageCursor;

/** One page of an Observation search: its observations with their patients and codes, the total (null when not computed) and the paging cursors. */
public record ObservationPage(List<RenderedObservation> resources, Long total, PageCursor next, PageCursor previous) {
}
