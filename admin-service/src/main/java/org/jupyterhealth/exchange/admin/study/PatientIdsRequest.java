package org.jupyterhealth.exchange.admin.study;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.web.request.AdminRequest;
import org.jupyterhealth.exchange.admin.web.request.IdList;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/** The body of {@code POST} and {@code DELETE /studies/{id}/patients}: the patients to enrol or remove. */
@Schema(name = "PatientIdsRequest")
public record PatientIdsRequest(
        @Schema(required = true, description = "a list, also of one id") @JsonDeserialize(using = IdList.class)
        List<Long> patientIds) implements AdminRequest {

    /** The ids given, none when the list is absent or null. */
    public List<Long> ids() {
        return patientIds == null ? List.of() : patientIds;
    }
}
