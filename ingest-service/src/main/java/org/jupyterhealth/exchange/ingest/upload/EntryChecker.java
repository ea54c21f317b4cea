package org.jupyterhealth.exchange.ingest.upload;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.inject.Singleton;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r5.model.Coding;
import org.hl7.fhir.r5.model.Observation;
import org.hl7.fhir.r5.model.Reference;
import org.jboss.logging.Logger;
import org.jupyterhealth.exchange.common.upload.EntryOutcome;
import org.jupyterhealth.exchange.common.upload.UploadEntry;
import org.jupyterhealth.exchange.ingest.omh.EffectiveTime;
import org.jupyterhealth.exchange.ingest.omh.OmhSchemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.JsonParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.parser.json.jackson.JacksonStructure;
import tools.jackson.databind.json.JsonMapper;

/**
 * The checks of an uploaded entry that need nothing but the entry itself: the request (a create of an Observation),
 * the resource's text, the JSON types of its elements, the FHIR R5 shape (HAPI FHIR, strict), the subject and device
 * references, the lengths of what is stored or passed on (identifiers, codings), the base64 JSON payload and its Open
 * mHealth schemas.
 * Messages quote the client's values shortened ({@link EntryOutcome#quote}). CPU-bound: callers run it on a worker
 * thread, never on an event loop.
 */
@Singleton
public class EntryChecker {
    public static final String OMH_SYSTEM = "https://w3id.org/openmhealth";
    public static final String IEEE_SYSTEM = "https://w3id.org/ieee1752";

    /** Longest identifier system and value stored: both fit one entry of the identifiers' unique index. */
    static final int MAX_IDENTIFIER_SYSTEM = 256;
    static final int MAX_IDENTIFIER_VALUE = 512;
    /** Longest coding system and code: known codes are short; longer ones are not worth asking admin-service. */
    static final int MAX_CODING = 256;

    private static final Logger LOG = Logger.getLogger(EntryChecker.class);
    private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,17}");
    /** {@code Observation} as a batch entry's {@code request.url}: relative, or an absolute URL of the type. */
    private static final Pattern OBSERVATION_URL = Pattern.compile("(?:https?://[^\\s?#]*)?/?Observation/?");

    private final OmhSchemas schemas;
    private final ResourceJsonTypes types;
    private final JsonMapper json = OmhSchemas.jsonMapper();
    /** Parsers are cheap but not thread-safe: one per worker thread, reused. */
    private final ThreadLocal<JsonParser> parsers;

    public EntryChecker(FhirContext fhir, OmhSchemas schemas) {
        this.schemas = schemas;
        this.types = new ResourceJsonTypes(fhir);
        this.parsers = ThreadLocal.withInitial(
                () -> (JsonParser) fhir.newJsonParser().setParserErrorHandler(new StrictErrorHandler()));
    }

    public CheckedEntry check(int index, UploadEntry entry) {
        try {
            return checkUnsafe(index, entry);
        } catch (RuntimeException e) {
            // a defect of ours must not take the whole upload down: the entry is refused, the rest goes on
            LOG.errorf(e, "entry %d could not be checked", index);
            return CheckedEntry.rejected(index, EntryOutcome.failed(422, "processing",
                    "The entry could not be processed."));
        }
    }

    private CheckedEntry checkUnsafe(int index, UploadEntry entry) {
        // 0. the entry must create an Observation: POST Observation (a single create is one)
        if (entry == null || !"POST".equals(entry.method())) {
            return CheckedEntry.rejected(index, invalid("Only POST/Create method supported: Bundle.entry[" + index
                    + "].request.method must be POST."));
        }
        if (entry.url() == null || !OBSERVATION_URL.matcher(entry.url()).matches()) {
            return CheckedEntry.rejected(index, invalid("Only Observations can be created: Bundle.entry[" + index
                    + "].request.url must be Observation."));
        }
        JsonNode resource = entry.resource();
        if (resource == null || resource.isNull()) {
            return CheckedEntry.rejected(index, invalid("The entry has no resource."));
        }
        if (!(resource instanceof ObjectNode object)) {
            return CheckedEntry.rejected(index, invalid("The resource is not a valid FHIR R5 resource: it must be a "
                    + "JSON object."));
        }
        String text = ResourceText.firstProblem("Observation", object);
        if (text == null) {
            text = types.firstProblem(object);
        }
        if (text != null) {
            return CheckedEntry.rejected(index, invalid("The resource is not a valid FHIR R5 resource: " + text));
        }
        // the attachment's data is decoded here, once (the FHIR parser would decode and re-encode it): it is taken
        // out of the resource while the parser reads it, and put back, so that the entry is checked the same way if
        // its upload is processed again (after a database failure, say)
        byte[] data = null;
        boolean notBase64 = false;
        ObjectNode dataHolder = null;
        JsonNode dataNode = null;
        if (object.get("valueAttachment") instanceof ObjectNode attachment && attachment.get("data") != null
                && attachment.get("data").isTextual()) {
            dataHolder = attachment;
            dataNode = attachment.remove("data");
            data = base64(dataNode.asText());
            notBase64 = data == null;
        }
        // 1. the body must be an R5 Observation
        IBaseResource parsed;
        try {
            JacksonStructure structure = new JacksonStructure();
            structure.setNativeObject(object);
            parsed = parser().parseResource(structure);
        } catch (DataFormatException e) {
            return CheckedEntry.rejected(index, invalid("The resource is not a valid FHIR R5 resource: "
                    + conciseMessage(e)));
        } catch (RuntimeException e) {
            // HAPI fails on some malformed values with unchecked exceptions
            return CheckedEntry.rejected(index, invalid("The resource is not a valid FHIR R5 resource."));
        } finally {
            if (dataHolder != null) {
                dataHolder.set("data", dataNode);
            }
        }
        if (notBase64) {
            return CheckedEntry.rejected(index, invalid("The resource is not a valid FHIR R5 resource: "
                    + "valueAttachment.data is not base64."));
        }
        if (!(parsed instanceof Observation observation)) {
            return CheckedEntry.rejected(index, invalid("Only Observation resourceType supported."));
        }
        if (observation.getCode().getCoding().stream().noneMatch(EntryChecker::isOpenMHealth)) {
            return CheckedEntry.rejected(index, invalid(
                    "Only Open mHealth and IEEE 1752 Observations are supported: code.coding must have the system "
                            + OMH_SYSTEM + " or " + IEEE_SYSTEM + "."));
        }
        if (!observation.hasStatus()) {
            return CheckedEntry.rejected(index, invalid("Observation.status is required."));
        }
        String tooLong = tooLong(observation);
        if (tooLong != null) {
            return CheckedEntry.rejected(index, invalid("The resource is not a valid FHIR R5 resource: " + tooLong));
        }
        // 2. subject: Patient/<id>
        Reference subject = observation.getSubject();
        String subjectReference = subject == null ? null : subject.getReference();
        if (subjectReference == null || !subjectReference.startsWith("Patient/")) {
            return CheckedEntry.rejected(index, invalid(
                    "Subject is required and must be a reference to a Patient ID and start with 'Patient/'"));
        }
        Optional<Long> patientId = id(subjectReference.substring("Patient/".length()));
        if (patientId.isEmpty()) {
            return CheckedEntry.rejected(index, invalid("Patient id="
                    + EntryOutcome.quote(subjectReference.substring(8)) + " can not be found."));
        }
        // 6. device: Device/<data source id>; whether it is a known personal device is admin-service's to say
        String deviceReference = observation.hasDevice() ? observation.getDevice().getReference() : null;
        Long dataSourceId = null;
        EntryOutcome deviceProblem = null;
        if (deviceReference == null || !deviceReference.startsWith("Device/")) {
            deviceProblem = invalid(
                    "Device is required and must be a reference to a Data Source ID and start with 'Device/'");
        } else {
            Optional<Long> id = id(deviceReference.substring("Device/".length()));
            if (id.isPresent()) {
                dataSourceId = id.get();
            } else {
                deviceProblem = invalid("Device Data Source id=" + EntryOutcome.quote(deviceReference.substring(7))
                        + " can not be found.");
            }
        }
        // 7. identifiers (their uniqueness is the database's to say)
        List<CheckedEntry.Identifier> identifiers = new ArrayList<>();
        observation.getIdentifier().forEach(identifier -> {
            if (identifier.hasValue()) {
                identifiers.add(new CheckedEntry.Identifier(identifier.hasSystem() ? identifier.getSystem() : "",
                        identifier.getValue()));
            }
        });
        // 8. exactly one coding
        List<Coding> codings = observation.getCode().getCoding();
        EntryOutcome codingProblem = codings.size() == 1 ? null : invalid("Exactly one Code must be provided.");
        Coding coding = codings.get(0);
        String system = coding.hasSystem() ? coding.getSystem() : "";
        String code = coding.hasCode() ? coding.getCode() : "";
        // 11. valueAttachment.data: base64 of JSON; 12. Open mHealth header and body schemas
        EntryOutcome payloadProblem = null;
        String omhData = data == null || data.length == 0 ? null : new String(data, StandardCharsets.UTF_8);
        // the data point is a tree of the schema library's Jackson, not of the envelope's
        var dataPoint = omhData == null ? null : OmhSchemas.readDataPoint(json, omhData);
        EffectiveTime effective = EffectiveTime.NONE;
        if (dataPoint == null) {
            payloadProblem = invalid("valueAttachment.data must be Base 64 Encoded Binary JSON.");
        } else {
            Optional<String> schemaProblem = schemas.validate(code, dataPoint);
            if (schemaProblem.isPresent()) {
                payloadProblem = EntryOutcome.failed(422, "invalid", schemaProblem.get());
            } else {
                effective = EffectiveTime.of(dataPoint.get("body"));
                if (effective.outOfRange()) {
                    payloadProblem = EntryOutcome.failed(422, "invalid", "$.body.effective_time_frame: lies outside "
                            + "the years 1 to 9999.");
                    effective = EffectiveTime.NONE;
                }
            }
        }
        return new CheckedEntry(index, null, patientId.get(), dataSourceId, deviceProblem, List.copyOf(identifiers),
                codingProblem, system, code, payloadProblem, observation.getStatus().toCode(),
                payloadProblem == null ? omhData : null, effective);
    }

    /**
     * The first identifier or coding longer than what is stored, named by its FHIRPath, or null. A longer one could
     * not be stored (the identifiers' unique index takes entries of at most 2,704 bytes) or is no known code.
     */
    private static String tooLong(Observation observation) {
        for (int i = 0; i < observation.getIdentifier().size(); i++) {
            var identifier = observation.getIdentifier().get(i);
            if (identifier.hasSystem() && identifier.getSystem().length() > MAX_IDENTIFIER_SYSTEM) {
                return "Observation.identifier[" + i + "].system is longer than " + MAX_IDENTIFIER_SYSTEM
                        + " characters.";
            }
            if (identifier.hasValue() && identifier.getValue().length() > MAX_IDENTIFIER_VALUE) {
                return "Observation.identifier[" + i + "].value is longer than " + MAX_IDENTIFIER_VALUE
                        + " characters.";
            }
        }
        List<Coding> codings = observation.getCode().getCoding();
        for (int i = 0; i < codings.size(); i++) {
            Coding coding = codings.get(i);
            if (coding.hasSystem() && coding.getSystem().length() > MAX_CODING) {
                return "Observation.code.coding[" + i + "].system is longer than " + MAX_CODING + " characters.";
            }
            if (coding.hasCode() && coding.getCode().length() > MAX_CODING) {
                return "Observation.code.coding[" + i + "].code is longer than " + MAX_CODING + " characters.";
            }
        }
        return null;
    }

    private static boolean isOpenMHealth(Coding coding) {
        return OMH_SYSTEM.equals(coding.getSystem()) || IEEE_SYSTEM.equals(coding.getSystem());
    }

    private JsonParser parser() {
        return parsers.get();
    }

    /** The bytes of base64 text (whitespace ignored), or null when it is not base64. */
    static byte[] base64(String text) {
        try {
            // most apps send one unbroken line: decoded as it is, with no copy; only text with whitespace is copied
            // without it, by hand rather than by a regular expression, since every entry of every upload comes here
            return Base64.getDecoder().decode(hasWhitespace(text) ? withoutWhitespace(text) : text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean hasWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isSpace(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static String withoutWhitespace(String text) {
        StringBuilder kept = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isSpace(c)) {
                kept.append(c);
            }
        }
        return kept.toString();
    }

    /** What {@code \s} matches: space, tab, line feed, vertical tab, form feed, carriage return. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    private static Optional<Long> id(String text) {
        if (text == null || !ID.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(text));
    }

    private static String conciseMessage(DataFormatException e) {
        String message = e.getMessage() == null ? "unreadable" : e.getMessage();
        // HAPI prefixes its messages with an internal code such as "HAPI-1825: "
        message = message.replaceFirst("^HAPI-\\d+: ", "");
        return message.length() > 300 ? message.substring(0, 300) + "..." : message;
    }

    static EntryOutcome invalid(String diagnostics) {
        return EntryOutcome.failed(400, "invalid", diagnostics);
    }
}
