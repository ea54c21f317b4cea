package org.jupyterhealth.exchange.admin.datasource;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.web.request.AdminRequest;
import org.jupyterhealth.exchange.admin.web.request.OneOf;
import org.jupyterhealth.exchange.admin.web.request.Required;

/**
 * The body of {@code POST /data_sources} ({@code personal_device} when no type is given) and
 * {@code PUT /data_sources/{id}} (it carries the name, as a create does; a type not given stays as it is).
 */
@Schema(name = "DataSourceRequest")
public record DataSourceRequest(
        @Schema(required = true) @Required String name,
        @Schema(enumeration = { DataSourceService.MEDICAL_DEVICE, DataSourceService.PERSONAL_DEVICE,
                DataSourceService.PATIENT_APP })
        @OneOf({ DataSourceService.MEDICAL_DEVICE, DataSourceService.PERSONAL_DEVICE,
                DataSourceService.PATIENT_APP }) String type) implements AdminRequest {
}
