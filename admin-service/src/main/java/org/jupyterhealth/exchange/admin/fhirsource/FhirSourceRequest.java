package org.jupyterhealth.exchange.admin.fhirsource;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.web.TextRules;
import org.jupyterhealth.exchange.admin.web.request.AdminRequest;
import org.jupyterhealth.exchange.admin.web.request.Text;

/**
 * The body of {@code POST}, {@code PUT} and {@code PATCH /fhir_sources}: the patient is always the caller, so it is
 * not the caller's to give. A create and a replacement name the data source; a patch changes what it names.
 */
@Schema(name = "FhirSourceRequest")
public record FhirSourceRequest(
        @Schema(description = "The data source (a patient app or an EHR's patient portal) the resources come through.")
        Long dataSource,
        String label,
        @Schema(description = "The outside FHIR server's base URL (absolute https), empty when there is none.")
        @Text(max = TextRules.MAX_URL) String fhirBaseUrl) implements AdminRequest {
}
