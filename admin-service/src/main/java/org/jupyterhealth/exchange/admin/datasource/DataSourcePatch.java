package org.jupyterhealth.exchange.admin.datasource;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.web.request.AdminRequest;
import org.jupyterhealth.exchange.admin.web.request.NonBlank;
import org.jupyterhealth.exchange.admin.web.request.OneOf;

/** The body of {@code PATCH /data_sources/{id}}: what it names changes; a name it names may not be blank. */
@Schema(name = "DataSourcePatchRequest")
public record DataSourcePatch(
        @NonBlank String name,
        @Schema(enumeration = { DataSourceService.MEDICAL_DEVICE, DataSourceService.PERSONAL_DEVICE,
                DataSourceService.PATIENT_APP })
        @OneOf({ DataSourceService.MEDICAL_DEVICE, DataSourceService.PERSONAL_DEVICE,
                DataSourceService.PATIENT_APP }) String type) implements AdminRequest {
}
