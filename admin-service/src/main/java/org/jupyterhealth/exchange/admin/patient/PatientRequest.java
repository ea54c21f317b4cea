package org.jupyterhealth.exchange.admin.patient;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jupyterhealth.exchange.admin.web.TextRules;
import org.jupyterhealth.exchange.admin.web.request.AdminRequest;
import org.jupyterhealth.exchange.admin.web.request.ObjectList;
import org.jupyterhealth.exchange.admin.web.request.Text;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/**
 * The body of {@code POST}, {@code PUT} and {@code PATCH /patients}. One record serves all three, so what a create
 * needs is judged by the service, in the patient API's own words ("Email is required to create a patient.").
 * {@code birthDate} absent keeps the date; given, also as {@code null} or empty, it sets or clears it; a date that
 * is not {@code YYYY-MM-DD} is the service's 400. {@code identifiers} given replace them all; items with a blank
 * system or value are skipped.
 */
@Schema(name = "PatientRequest")
public record PatientRequest(
        @Schema(description = "required on create") Long organizationId,
        @Schema(description = "required on create; on update the patient's own e-mail, which cannot be changed",
                format = "email") @Text(max = TextRules.MAX_EMAIL) String telecomEmail,
        @Text(max = TextRules.MAX_PERSON_NAME) String nameFamily,
        @Text(max = TextRules.MAX_PERSON_NAME) String nameGiven,
        @Schema(implementation = LocalDate.class) Optional<String> birthDate,
        String telecomPhone,
        @Schema(description = "replaces all identifiers on update") @JsonDeserialize(using = ObjectList.class)
        List<PatientIdentifierRequest> identifiers) implements AdminRequest {
}
