package org.jupyterhealth.exchange.ingest.resource;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.hl7.fhir.r5.model.Base;
import org.hl7.fhir.r5.model.BaseDateTimeType;
import org.hl7.fhir.r5.model.CodeableConcept;
import org.hl7.fhir.r5.model.CodeableReference;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Device.DeviceNameComponent;
import org.hl7.fhir.r5.model.DomainResource;
import org.hl7.fhir.r5.model.HumanName;
import org.hl7.fhir.r5.model.Identifier;
import org.hl7.fhir.r5.model.Period;
import org.hl7.fhir.r5.model.PrimitiveType;
import org.hl7.fhir.r5.model.Reference;
import org.hl7.fhir.r5.model.Resource;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;

/**
 * The values a stored resource is searched by, taken from it when it is written (docs/compatibility.md#fhir-resource-
 * store): its clinical date (the first present of the type's date elements), its status, and the token, reference
 * and string values of {@code code}, {@code category}, {@code identifier}, {@code questionnaire}, {@code name},
 * {@code clinical-status} and {@code encounter}; a Condition's own dates ({@code onset-date}, {@code abatement-date},
 * {@code recorded-date}, {@code asserted-date}) as date tokens ({@link #dateToken}). Elements are read by name through
 * the R5 model's own property accessors, so one rule serves every store type.
 */
public final class SearchValues {
    /** Date elements in order of preference: a type's clinical date is the first of these it has. */
    static final List<String> DATE_ELEMENTS = List.of("effective", "occurrence", "authored", "performed", "onset",
            "recordedDate", "issued", "authoredOn", "actualPeriod", "period", "date", "created", "recorded",
            "whenHandedOver", "birthDate");
    /** Token values longer than this are not indexed (no search names such a value). */
    static final int MAX_VALUE = 512;
    /**
     * A date search value kept in the token table: the instant in UTC at a fixed width, so that comparing the texts
     * compares the instants (fhir-service's StoreSearch writes its bounds in the same form). Kept with the other
     * search values of the resource, they are replaced and deleted with them, and a search probes them by resource as
     * it probes tokens.
     */
    static final DateTimeFormatter DATE_TOKEN = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);
    /** A Condition's date search parameters and the elements they are taken from (asserted-date: an extension). */
    static final Map<String, String> CONDITION_DATES = Map.of("onset-date", "onset", "abatement-date", "abatement",
            "recorded-date", "recordedDate");
    static final String ASSERTED_DATE = "http://hl7.org/fhir/StructureDefinition/condition-assertedDate";

    /** One token, reference or string value of the resource: its search parameter, system and value. */
    public record Token(String name, String system, String value) {
    }

    /** What the resource is searched by. */
    public record Values(OffsetDateTime clinicalDate, String status, List<Token> tokens) {
    }

    private SearchValues() {
    }

    public static Values of(Resource resource) {
        Set<Token> tokens = new LinkedHashSet<>();
        String status = null;
        for (Base value : values(resource, "status")) {
            if (value instanceof PrimitiveType<?> primitive && primitive.hasValue()) {
                status = primitive.getValueAsString();
                add(tokens, "status", "", status);
            }
        }
        for (String name : List.of("code", "category", "medication")) {
            for (Base value : values(resource, name)) {
                codings(value).forEach(coding -> add(tokens, "medication".equals(name) ? "code" : name,
                        coding.hasSystem() ? coding.getSystem() : "", coding.getCode()));
            }
        }
        for (Base value : values(resource, "clinicalStatus")) {
            codings(value).forEach(coding -> add(tokens, "clinical-status", coding.hasSystem() ? coding.getSystem()
                    : "", coding.getCode()));
        }
        for (Base value : values(resource, "encounter")) {
            if (value instanceof Reference reference && reference.hasReference()) {
                add(tokens, "encounter", "", reference.getReference());
            }
        }
        if ("Condition".equals(resource.fhirType())) {
            CONDITION_DATES.forEach((name, element) -> values(resource, element).forEach(value ->
                    add(tokens, name, "", dateToken(value))));
            if (resource instanceof DomainResource domain) {
                domain.getExtensionsByUrl(ASSERTED_DATE).forEach(extension -> add(tokens, "asserted-date", "",
                        dateToken(extension.getValue())));
            }
        }
        for (Base value : values(resource, "identifier")) {
            if (value instanceof Identifier identifier && identifier.hasValue()) {
                add(tokens, "identifier", identifier.hasSystem() ? identifier.getSystem() : "", identifier.getValue());
            }
        }
        for (Base value : values(resource, "questionnaire")) {
            if (value instanceof PrimitiveType<?> canonical && canonical.hasValue()) {
                add(tokens, "questionnaire", "", canonical.getValueAsString());
            } else if (value instanceof Reference reference && reference.hasReference()) {
                add(tokens, "questionnaire", "", reference.getReference());
            }
        }
        for (Base value : values(resource, "name")) {
            if (value instanceof HumanName name) {
                if (name.hasFamily()) {
                    add(tokens, "name", "", lower(name.getFamily()));
                }
                name.getGiven().forEach(given -> add(tokens, "name", "", lower(given.getValue())));
                if (name.hasText()) {
                    add(tokens, "name", "", lower(name.getText()));
                }
            } else if (value instanceof DeviceNameComponent device && device.hasValue()) {
                // a Device's names are elements of their own (value, type, display): the name is the value
                add(tokens, "name", "", lower(device.getValue()));
            } else if (value instanceof PrimitiveType<?> text && text.hasValue()) {
                add(tokens, "name", "", lower(text.getValueAsString()));
            }
        }
        return new Values(clinicalDate(resource), status, new ArrayList<>(tokens));
    }

    private static OffsetDateTime clinicalDate(Resource resource) {
        for (String name : DATE_ELEMENTS) {
            for (Base value : values(resource, name)) {
                Date date = dateOf(value);
                if (date != null) {
                    return date.toInstant().atOffset(ZoneOffset.UTC);
                }
            }
        }
        return null;
    }

    /** The instant a date, date-time or period (its start, else its end) stands for; null for anything else. */
    private static Date dateOf(Base value) {
        if (value instanceof BaseDateTimeType dateTime) {
            return dateTime.getValue();
        }
        if (value instanceof Period period) {
            return period.hasStart() ? period.getStart() : period.getEnd();
        }
        return null;
    }

    /**
     * A date search value in the token table's form ({@link #DATE_TOKEN}); null when the value is no date. A date
     * without a time (a year, a month, a day) is its first instant in UTC, as a search's date is read and whatever the
     * JVM's time zone.
     */
    static String dateToken(Base value) {
        BaseDateTimeType dateTime = null;
        if (value instanceof BaseDateTimeType element) {
            dateTime = element;
        } else if (value instanceof Period period) {
            dateTime = period.hasStart() ? period.getStartElement() : period.getEndElement();
        }
        if (dateTime == null || dateTime.getValue() == null) {
            return null;
        }
        if (dateTime.getPrecision().ordinal() <= TemporalPrecisionEnum.DAY.ordinal()) {
            return DATE_TOKEN.format(LocalDate.of(dateTime.getYear(), dateTime.getMonth() + 1, dateTime.getDay())
                    .atStartOfDay(ZoneOffset.UTC));
        }
        return DATE_TOKEN.format(dateTime.getValue().toInstant());
    }

    private static List<Coding> codings(Base value) {
        if (value instanceof CodeableConcept concept) {
            return concept.getCoding();
        }
        if (value instanceof CodeableReference reference && reference.hasConcept()) {
            return reference.getConcept().getCoding();
        }
        if (value instanceof Coding coding) {
            return List.of(coding);
        }
        return List.of();
    }

    /** The values of the element of this name (a choice element by its name without [x]); none when no such. */
    private static List<Base> values(Resource resource, String name) {
        try {
            Base[] values = resource.getProperty(name.hashCode(), name, false);
            return values == null ? List.of() : Arrays.stream(values).filter(Objects::nonNull).toList();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private static void add(Set<Token> tokens, String name, String system, String value) {
        if (value != null && !value.isEmpty() && value.length() <= MAX_VALUE && system.length() <= MAX_VALUE) {
            tokens.add(new Token(name, system, value));
        }
    }

    private static String lower(String text) {
        return text == null ? null : text.toLowerCase(Locale.ROOT);
    }
}
